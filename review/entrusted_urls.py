from django.urls import path

from review import entrusted_views

urlpatterns = [
    path("<int:pk>/entrusted/", entrusted_views.entrusted_page, name="entrusted"),
    path("<int:pk>/entrusted/consent/", entrusted_views.entrusted_consent, name="entrusted_consent"),
    path("<int:pk>/entrusted/result/", entrusted_views.entrusted_result, name="entrusted_result"),
    path("<int:pk>/entrusted/letter.pdf", entrusted_views.entrusted_letter, name="entrusted_letter"),
    path("<int:pk>/entrusted/result.pdf", entrusted_views.entrusted_result_document, name="entrusted_result_document"),
    path("<int:pk>/appeal/", entrusted_views.appeal_lodge, name="appeal_lodge"),
    path("<int:pk>/appeal/decide/", entrusted_views.appeal_decide, name="appeal_decide"),
    path("appeals/", entrusted_views.appeal_list, name="appeals"),
]
