"""Browsers get the site's icon: linked from every page's <head>, and at /favicon.ico too."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_the_login_page_links_the_icon_and_the_icon_files_exist(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in body
    assert 'href="/static/favicon.ico"' in body
    assert finders.find("favicon.svg") and finders.find("favicon.ico")
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO signature


@pytest.mark.django_db
def test_favicon_ico_at_the_root_answers_the_icon_not_a_404(client, django_user_model):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    # Also for someone who must still change an initial password.
    user = django_user_model.objects.create_user(username="fav-user", password="x", must_change_password=True)
    client.force_login(user)
    assert client.get("/favicon.ico")["Location"] == "/static/favicon.ico"
