"""LR603 one hop into a helper: a route hands request text to a project function (directly or through
``asyncio.to_thread``) and that function builds the system prompt from it with ``+=``; the finding sits in the
helper's file at the system-role slot. A helper that keeps the text in the user role, or gets no request text, is
clean."""

from __future__ import annotations

import inspect

from tests.rules.python.helpers import lines_of, run

ROUTE = inspect.cleandoc("""
    import asyncio
    from fastapi import FastAPI, Form
    from app import rag as local

    app = FastAPI()


    @app.post("/send")
    async def send_message(content: str = Form(...), conversation_id: int = Form(0)):
        answer = await asyncio.to_thread(local.answer_with_memory, {arg}, conversation_id)
        return {{"response": answer}}
""") + "\n"
HELPER = inspect.cleandoc("""
    from ollama import chat as ollama_chat


    def answer_with_memory(question: str, conversation_id: int) -> str:
        prompt = (
            \"\"\"You are a French assistant for cybersecurity students.
            Only use the <RAG> block if it is relevant.\"\"\"
        )
        documents = search(conversation_id)
        lines = [f"{{i}}.{{kw}}: {{doc}}" for i, doc in enumerate(documents) for kw in question.split()]
        prompt += "\\n<RAG>\\n" + "\\n".join(lines) + "\\n</RAG>"
        messages = [
            {{"role": "system", "content": {system}}},
            {{"role": "user", "content": question}},
        ]
        return ollama_chat(model="llama3", messages=messages)["message"]["content"]
""") + "\n"


def _lr603(arg: str = "content", system: str = "prompt") -> list[int]:
    files = (("app/main.py", ROUTE.format(arg=arg)),)
    return lines_of(run(HELPER.format(system=system), "app/rag.py", files), "LR603")


def test_helper_run_in_a_thread_that_builds_the_system_prompt_from_the_text_is_reported() -> None:
    assert _lr603() == [13]


def test_the_finding_names_the_route_and_the_helper() -> None:
    files = (("app/main.py", ROUTE.format(arg="content")),)
    result = run(HELPER.format(system="prompt"), "app/rag.py", files)
    assert [f.message.split(":")[0] for f in result.findings if f.rule_id == "LR603"] == [
        "POST /send, through answer_with_memory(), places request field `content` into a `system`-role message"]


def test_helper_that_gets_no_request_text_is_clean() -> None:
    assert _lr603(arg="'fixed question'") == []


def test_helper_whose_system_prompt_is_constant_is_clean() -> None:
    assert _lr603(system="SYSTEM_PROMPT") == []


def test_direct_helper_call_from_a_flask_route_is_reported() -> None:
    route = inspect.cleandoc("""
        from flask import Flask, request
        from app.rag import answer_with_memory

        app = Flask(__name__)


        @app.post("/ask")
        def ask():
            return {"answer": answer_with_memory(request.json["question"], 0)}
    """) + "\n"
    result = run(HELPER.format(system="prompt"), "app/rag.py", (("app/main.py", route),))
    assert lines_of(result, "LR603") == [13]


def test_augmented_system_prompt_inside_the_handler_is_reported() -> None:
    code = inspect.cleandoc("""
        from fastapi import FastAPI
        from pydantic import BaseModel
        from openai import OpenAI

        app = FastAPI()
        client = OpenAI()


        class Ask(BaseModel):
            question: str
            context: str


        @app.post("/ask")
        def ask(body: Ask):
            prompt = "You are a helpful assistant."
            prompt += f" Use this context: {body.context}"
            r = client.chat.completions.create(model="gpt-4o-mini", messages=[
                {"role": "system", "content": prompt}, {"role": "user", "content": body.question}])
            return {"answer": r.choices[0].message.content}
    """) + "\n"
    assert lines_of(run(code, "main.py"), "LR603") == [19]


def test_a_system_variable_holding_the_system_message_is_one_finding() -> None:
    route = inspect.cleandoc("""
        from rest_framework.decorators import api_view
        from rest_framework.response import Response
        from .helpers import build_messages


        @api_view(["POST"])
        def conversation(request):
            system_content = request.data.get("system_content") or "You are a helpful assistant."
            return Response(build_messages(request.data["messages"], system_content))
    """) + "\n"
    helper = inspect.cleandoc("""
        def build_messages(new_messages, system_content):
            system_messages = [{"role": "system", "content": system_content}]
            return system_messages + new_messages
    """) + "\n"
    urls = ("chat/urls.py", "from django.urls import path\nfrom . import views\n\n"
                            "urlpatterns = [path('conversation/', views.conversation)]\n")
    result = run(helper, "chat/helpers.py", (("chat/views.py", route), urls))
    assert lines_of(result, "LR603") == [2]
