"""A Django view no URL pattern can reach (the project's ``urls.py`` is in sight and names it nowhere, nor does
any other file) is dead code, not a route; a view another module refers to, and every view of a project whose
URL configuration is not in sight, are still judged."""

from __future__ import annotations

from tests.rules.python.helpers import lines_of, run

LEGACY = ("import openai\nfrom django.http import JsonResponse\n\n\n"
          "def chat_old(request):\n    r = openai.chat.completions.create(model='gpt-4o', messages=[])\n"
          "    return JsonResponse({'a': r.choices[0].message.content})\n")
WIRED = ("chat/views/main.py", "from django.http import JsonResponse\n\n\ndef home(request):\n"
         "    return JsonResponse({})\n")
URLS = ("chat/urls.py", "from django.urls import path\nfrom .views import main\n\n"
        "urlpatterns = [path('', main.home)]\n")


def test_unrouted_view_in_a_module_no_pattern_names_is_dead_code() -> None:
    assert lines_of(run(LEGACY, "chat/views/legacy.py", (WIRED, URLS)), "AUTH301") == []


def test_view_another_module_refers_to_is_kept() -> None:
    other = ("chat/api_urls.py", "from django.urls import path\nfrom .views.legacy import chat_old\n\n"
             "extra = [path('old/', chat_old)]\n")
    assert lines_of(run(LEGACY, "chat/views/legacy.py", (WIRED, URLS, other)), "AUTH301") == [5]


def test_without_urls_in_sight_every_view_is_judged() -> None:
    assert lines_of(run(LEGACY, "chat/views/legacy.py"), "AUTH301") == [5]
