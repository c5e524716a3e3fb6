"""AUTH302 and a public landing page: a Django view that saves a contact form bound to the posted data (a new row)
and reads a site-wide counters row picked by literals is public by intent; a form that edits an existing row, a row
picked by a request value, and a site row that stores what visitors typed stay reported."""

from __future__ import annotations

import inspect

from tests.rules.python.helpers import lines_of, run

MODELS = ("homepage/models.py", inspect.cleandoc("""
    from django.db import models


    class users(models.Model):
        name = models.CharField(max_length=20, db_index=True)
        chats = models.IntegerField(null=True)
        promptsAnswered = models.IntegerField(null=True)


    class contact_form(models.Model):
        name = models.CharField(max_length=100)
        email = models.EmailField(max_length=50)
        message = models.CharField(max_length=1000)


    class Banner(models.Model):
        last_prompt = models.TextField()
""") + "\n")
URLS = ("homepage/urls.py", "from django.urls import path\nfrom . import views\n\n"
                            "urlpatterns = [path('', views.index, name='index')]\n")


def _found(code: str) -> list[int]:
    result = run(inspect.cleandoc(code) + "\n", "homepage/views.py", (MODELS, URLS))
    assert not result.notes
    return lines_of(result, "AUTH302")


LANDING = """
    from django.shortcuts import render, redirect
    from django.core.exceptions import ObjectDoesNotExist
    from .models import users
    from . import forms

    def index(request):
        if request.method == 'POST':
            form = forms.CreateMessage({bound})
            if form.is_valid():
                form.save()
                return redirect('index')
        else:
            form = forms.CreateMessage()
        try:
            User = users.objects.get({key})
        except ObjectDoesNotExist:
            User = users.objects.create(name="public", chats=0, promptsAnswered=0)
        return render(request, 'index.html', {{"chats": User.chats, "form": form}})
"""


def test_landing_page_with_contact_form_and_counters_row_is_public() -> None:
    assert _found(LANDING.format(bound="request.POST", key='name="public"')) == []


def test_site_row_created_with_get_or_create_and_counted_is_public() -> None:
    assert _found("""
        from django.shortcuts import render
        from .models import users

        def index(request):
            stats, _ = users.objects.get_or_create(name="public")
            stats.chats += 1
            stats.save()
            return render(request, 'index.html', {"stats": stats})
    """) == []


def test_form_editing_an_existing_row_is_reported() -> None:
    assert _found(LANDING.format(bound="request.POST, instance=users.objects.first()", key='name="public"')) == [6]


def test_row_picked_by_a_request_value_is_reported() -> None:
    assert _found(LANDING.format(bound="request.POST", key="name=request.GET.get('n')")) == [6]


def test_site_row_holding_what_visitors_typed_is_reported() -> None:
    assert _found("""
        from django.shortcuts import render
        from .models import Banner

        def index(request):
            return render(request, 'index.html', {"banner": Banner.objects.get(pk=1)})
    """) == [4]
