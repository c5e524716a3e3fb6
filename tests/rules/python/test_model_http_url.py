"""A model API called over HTTP with the URL held by a local (``url = f"https://generativelanguage.googleapis.com/
v1beta/{model}:generateContent?key={KEY}"`` then ``requests.post(url, json=data)``): the host names the model API
(``knowledge.MODEL_HOSTS``), so the view calls a model (LR601, LR602); a local URL to any other host does not."""

from __future__ import annotations

import inspect

from tests.rules.python.helpers import lines_of, run

DJANGO_VIEW = inspect.cleandoc("""
    import requests
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render

    API_KEY = settings.GEMINI_API_TOKEN


    @login_required
    def chat_view(request):
        answer = ""
        if request.method == "POST":
            prompt = request.POST.get("prompt")
            url = f"https://{host}/v1beta/models/gemini-1.5-flash:generateContent?key={{API_KEY}}"
            data = {{"contents": [{{"parts": [{{"text": f"Question: {{prompt}}"}}]}}]}}
            res = requests.post(url, headers={{"Content-Type": "application/json"}}, json=data)
            answer = res.json()["candidates"][0]["content"]["parts"][0]["text"]
        return render(request, "chat.html", {{"answer": answer}})
""") + "\n"
URLS = ("chat/urls.py", "from django.urls import path\nfrom . import views\n\n"
                        "urlpatterns = [path('', views.chat_view, name='chat')]\n")


def test_requests_post_to_a_local_gemini_url_calls_a_model() -> None:
    result = run(DJANGO_VIEW.format(host="generativelanguage.googleapis.com"), "chat/views.py", (URLS,))
    assert lines_of(result, "LR601") == [10]
    assert lines_of(result, "LR602") == [16]


def test_fastapi_httpx_post_to_a_local_openai_url_calls_a_model() -> None:
    code = inspect.cleandoc("""
        import httpx
        from fastapi import FastAPI
        from pydantic import BaseModel

        app = FastAPI()


        class Ask(BaseModel):
            question: str


        @app.post("/ask")
        async def ask(body: Ask):
            endpoint = "https://api.openai.com/v1/chat/completions"
            async with httpx.AsyncClient() as client:
                res = await client.post(endpoint, json={"model": "gpt-4o-mini",
                                                        "messages": [{"role": "user", "content": body.question}]})
            return res.json()
    """) + "\n"
    result = run(code, "main.py")
    assert lines_of(result, "LR601") == [12]
    assert lines_of(result, "AUTH301") == [12]


def test_requests_post_to_a_local_url_of_another_host_calls_no_model() -> None:
    result = run(DJANGO_VIEW.format(host="api.weatherapi.com"), "chat/views.py", (URLS,))
    assert lines_of(result, "LR601") == []
    assert lines_of(result, "LR602") == []


def test_an_empty_django_path_is_the_root_route_in_the_message() -> None:
    project_urls = ("proj/urls.py", "from django.urls import include, path\n\n"
                                    "urlpatterns = [path('', include('chat.urls'))]\n")
    result = run(DJANGO_VIEW.format(host="generativelanguage.googleapis.com"), "chat/views.py", (URLS, project_urls))
    messages = [f.message for f in result.findings if f.rule_id == "LR601"]
    assert messages == ["Django view / calls Google Gemini with no rate limit"]


def test_local_url_built_from_a_module_constant_of_concatenated_literals() -> None:
    code = ("import os\nimport requests\nfrom flask import Flask, request, jsonify\napp = Flask(__name__)\n"
            "KEY = os.getenv('GOOGLE_API_KEY')\nGEMINI_URL = (\n    'https://generativelanguage.googleapis.com/v1beta/models/'\n"
            "    'gemini-2.5-flash:generateContent'\n)\n\n\ndef ask(text):\n    url = f'{GEMINI_URL}?key={KEY}'\n"
            "    return requests.post(url, json={'contents': [{'parts': [{'text': text}]}]}).json()\n\n\n"
            "@app.post('/api/chat')\ndef chat():\n    return jsonify(ask(request.get_json().get('message')))\n")
    assert lines_of(run(code), "AUTH301") == [17]


def test_local_url_built_from_a_constant_of_another_host_calls_no_model() -> None:
    code = ("import requests\nfrom flask import Flask, request, jsonify\napp = Flask(__name__)\n"
            "BASE = (\n    'https://api.example.com/v1/'\n    'items'\n)\n\n\ndef fetch(text):\n"
            "    url = f'{BASE}?q=1'\n    return requests.post(url, json={'q': text}).json()\n\n\n"
            "@app.post('/api/items')\ndef items():\n    return jsonify(fetch(request.get_json().get('q')))\n")
    assert lines_of(run(code), "AUTH301") == []


def test_an_openai_compatible_path_on_any_host_is_a_model_call() -> None:
    from tests.rules.python.helpers import lines_of, run

    code = ("import requests\nfrom flask import Flask, request\napp = Flask(__name__)\nBASE = 'https://llm.internal'\n"
            "\n\n@app.post('/ask')\ndef ask():\n"
            "    r = requests.post(f'{BASE}/chat/completions', json={'messages': request.json['messages']})\n"
            "    return r.json()\n")
    assert lines_of(run(code), "AUTH301") == [7]
    other = code.replace("/chat/completions", "/reports/summary")
    assert lines_of(run(other), "AUTH301") == []
