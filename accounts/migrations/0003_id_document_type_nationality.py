"""The document type and nationality an applicant's number carries (001_272b0a6ee81b04e4.txt 一(二)),
filled in for the accounts that exist: resident IDs read from the masked prefix; only a number that
may be a 居住证 (8…) or a foreign permanent-residence ID (9…) is decrypted to be read in full."""

from django.db import migrations, models

DOCUMENT_TYPES = [
    ("resident_id", "身份证"),
    ("foreign_permanent_resident", "外国人永久居留身份证"),
    ("hk_macao_residence", "港澳居民居住证"),
    ("taiwan_residence", "台湾居民居住证"),
]


def fill_document_types(apps, schema_editor):
    from core import crypto
    from core.idnumbers import document_type, nationality_from_id

    User = apps.get_model("accounts", "User")
    people = User.objects.exclude(id_number_masked="").only("id", "id_number_masked", "id_number_encrypted")
    resident = []
    for person in people.iterator(chunk_size=2000):
        if person.id_number_masked[:1] in ("8", "9") and person.id_number_encrypted:
            number = crypto.decrypt(person.id_number_encrypted)
            User.objects.filter(pk=person.pk).update(
                id_document_type=document_type(number), nationality=nationality_from_id(number)
            )
        else:
            resident.append(person.pk)
    for start in range(0, len(resident), 2000):
        User.objects.filter(pk__in=resident[start : start + 2000]).update(
            id_document_type="resident_id", nationality="156"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='id_document_type',
            field=models.CharField(blank=True, choices=DOCUMENT_TYPES, max_length=30, verbose_name='证件类型'),
        ),
        migrations.AddField(
            model_name='user',
            name='nationality',
            field=models.CharField(blank=True, max_length=3, verbose_name='国籍代码'),
        ),
        migrations.RunPython(fill_document_types, migrations.RunPython.noop),
    ]
