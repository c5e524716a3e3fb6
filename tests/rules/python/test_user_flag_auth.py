"""Auth is "refuses without a credential": a Django view that reads ``request.user.is_authenticated`` only to
pick a display name or decide whether to save (``if request.user.is_authenticated: save_chat(request)``), and
never returns or raises on that test, serves anonymous callers too (mattbailey1991/aginyaunt ``chatpage``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.python.frameworks.cases import Case, check

DJ = ("import openai\nfrom django.shortcuts import render, redirect\nfrom django.http import JsonResponse\n"
      "from .models import Chat\n\n")
V = "chat/views.py"

INVALID = [  # the user flag only labels or gates saving: AUTH301 at the view
    Case({V: DJ + "def chatpage(request):\n    if request.user.is_authenticated:\n"
                  "        username = request.user.username\n    else:\n        username = 'Guest'\n"
                  "    reply = openai.chat.completions.create(model='m', messages=[\n"
                  "        {'role': 'user', 'content': request.POST.get('prompt')}])\n"
                  "    if request.user.is_authenticated:\n"
                  "        Chat.objects.create(user=request.user, text=reply.choices[0].message.content)\n"
                  "    return render(request, 'chat.html', {'username': username, 'reply': reply})\n"},
         [("AUTH301", V, 6)]),
    Case({V: DJ + "def ask(request):\n    prompt = request.POST.get('prompt', '')\n"
                  "    answer = openai.chat.completions.create(model='m', messages=[\n"
                  "        {'role': 'user', 'content': prompt}]).choices[0].message.content\n"
                  "    if request.user.is_authenticated and prompt:\n"
                  "        Chat.objects.create(user=request.user, prompt=prompt, answer=answer)\n"
                  "    return JsonResponse({'answer': answer})\n"},
         [("AUTH301", V, 6)]),
    Case({V: DJ + "def chat(request):\n    reply = openai.chat.completions.create(model='m', messages=[\n"
                  "        {'role': 'user', 'content': request.POST.get('prompt')}]).choices[0].message.content\n"
                  "    if request.user.is_authenticated:\n"
                  "        Chat.objects.create(user=request.user, text=reply)\n"
                  "        return JsonResponse({'reply': reply, 'saved': True})\n    else:\n"
                  "        return JsonResponse({'reply': reply, 'saved': False})\n"},
         [("AUTH301", V, 6)]),
]
VALID = [  # the view refuses anonymous callers (or runs the model only for members): no finding
    Case({V: DJ + "def chatpage(request):\n    if not request.user.is_authenticated:\n"
                  "        return redirect('login')\n"
                  "    reply = openai.chat.completions.create(model='m', messages=[])\n"
                  "    return JsonResponse({'reply': reply.choices[0].message.content})\n"}),
    Case({V: DJ + "from django.http import HttpResponseForbidden\n\n"
                  "def chatpage(request):\n    if request.user.is_authenticated:\n"
                  "        username = request.user.username\n    else:\n        return HttpResponseForbidden()\n"
                  "    reply = openai.chat.completions.create(model='m', messages=[])\n"
                  "    return JsonResponse({'user': username, 'reply': reply.choices[0].message.content})\n"}),
    Case({V: DJ + "from django.core.exceptions import PermissionDenied\n\n"
                  "def chatpage(request):\n    if request.user.is_anonymous:\n        raise PermissionDenied\n"
                  "    reply = openai.chat.completions.create(model='m', messages=[])\n"
                  "    return JsonResponse({'reply': reply.choices[0].message.content})\n"}),
    Case({V: DJ + "from django.contrib.auth.decorators import login_required\n\n@login_required\n"
                  "def chatpage(request):\n    if request.user.is_authenticated:\n"
                  "        username = request.user.username\n    else:\n        username = 'Guest'\n"
                  "    reply = openai.chat.completions.create(model='m', messages=[])\n"
                  "    return render(request, 'chat.html', {'username': username, 'reply': reply})\n"}),
    Case({V: DJ + "def chat(request):\n    if request.user.is_authenticated:\n"
                  "        reply = openai.chat.completions.create(model='m', messages=[])\n"
                  "        return JsonResponse({'reply': reply.choices[0].message.content})\n    else:\n"
                  "        return render(request, 'landing.html')\n"}),
    Case({V: DJ + "def chat(request):\n    if request.user.is_authenticated:\n        user = request.user\n"
                  "    else:\n        return JsonResponse({'error': 'Please create an account first'}, status=400)\n"
                  "    reply = openai.chat.completions.create(model='m', messages=[])\n"
                  "    return JsonResponse({'user': user.id, 'reply': reply.choices[0].message.content})\n"}),
    Case({V: DJ + "def chatpage(request):\n    reply = None\n    if request.user.is_authenticated:\n"
                  "        reply = openai.chat.completions.create(model='m', messages=[])\n"
                  "    return render(request, 'chat.html', {'reply': reply})\n"}),
]


@pytest.mark.parametrize("case", INVALID)
def test_user_flag_that_never_refuses_is_not_auth(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", VALID)
def test_user_flag_that_refuses_is_auth(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)
