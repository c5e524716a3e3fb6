"""LR602 unbounded-prompt-input and LR603 user-text-in-system-prompt for Python (FastAPI, Flask, Quart,
Django, DRF, Socket.IO): request text followed through a handler (``scanner.engines.python.prompt_flow``)."""

from __future__ import annotations

import textwrap
from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, PythonRule
from scanner.engines.python.prompt_flow import prompt_hits
from scanner.engines.python.prompt_helpers import helper_system_hits


def _py(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


_DJANGO_URLS = (("chat/urls.py", "from django.urls import path\nfrom . import views\n"
                 "urlpatterns = [path('api/chat/', views.chat)]\n"),)


class UnboundedPromptInput(PythonRule):
    """
    ## What it finds
    A route handler (FastAPI, Flask, Quart, Django, DRF, Socket.IO event) that passes request text to a model
    call with no server-side bound on its size: a `str` or `dict` parameter or a pydantic field with no
    `max_length` (`Field`, `constr`, `StringConstraints`, `Query`/`Body`), a validator, `request.json[...]`,
    `request.form`, `request.POST`, `json.loads(request.body)` or DRF `request.data` straight into `messages`,
    with no `len(...)` or token-count check and no `[:N]` truncation on the way. One finding per handler, at
    its first such model call (a project helper that calls a model counts). A form's `cleaned_data` and a
    serializer's `validated_data` are as long as their fields allow (a `TextField`, or a `CharField` with no
    `max_length`, is unbounded; a form or serializer the scan cannot find counts as bounded). A slice that feeds
    another value (`title = content[:40]`) bounds nothing.

    ## Why it matters
    Every token a visitor sends is billed to you and fills the model's context: one scripted request with a
    megabyte of text costs real money, slows every member's answers and can push your instructions out of the
    context window.

    ## Example
    ```python
    @app.post("/api/chat")
    def chat():
        prompt = request.json["prompt"]
        reply = client.chat.completions.create(model="gpt-4o-mini",
                                               messages=[{"role": "user", "content": prompt}])
    ```

    ## Fix
    Bound the input where it enters: `prompt: str = Field(min_length=1, max_length=4000)` in the pydantic
    model, or `if len(prompt) > 4000: abort(413)`, and cap the number of history messages you forward.
    """

    CODE = "LR602"
    MESSAGE = "request text reaches a model call with no size limit"
    VALID: ClassVar[list[Example]] = [
        Example(_py("""
            from fastapi import FastAPI
            from pydantic import BaseModel, Field
            from openai import OpenAI
            app = FastAPI()
            client = OpenAI()
            class ChatIn(BaseModel):
                message: str = Field(..., min_length=1, max_length=4000)
            @app.post("/chat")
            def chat(body: ChatIn):
                r = client.chat.completions.create(model="gpt-4o-mini",
                    messages=[{"role": "user", "content": body.message}])
                return {"reply": r.choices[0].message.content}
            """)),
        Example(_py("""
            from flask import Flask, request, abort
            from openai import OpenAI
            app = Flask(__name__)
            client = OpenAI()
            @app.route("/api/chat", methods=["POST"])
            def chat():
                prompt = request.json.get("prompt", "")
                if not prompt or len(prompt) > 2000:
                    abort(400)
                r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
                return {"reply": r.choices[0].message.content}
            """)),
        Example(_py("""
            from typing import Annotated
            from fastapi import FastAPI, Query
            import anthropic
            app = FastAPI()
            client = anthropic.Anthropic()
            @app.get("/ask")
            async def ask(q: Annotated[str, Query(max_length=500)]):
                m = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=512,
                                           messages=[{"role": "user", "content": q}])
                return {"answer": m.content[0].text}
            """)),
        Example(_py("""
            import json
            from django.http import JsonResponse
            from openai import OpenAI
            client = OpenAI()
            def chat(request):
                data = json.loads(request.body)
                question = data["question"][:1000]
                r = client.chat.completions.create(model="gpt-4o-mini",
                    messages=[{"role": "user", "content": question}])
                return JsonResponse({"answer": r.choices[0].message.content})
            """), path="chat/views.py", files=_DJANGO_URLS),
        Example(_py("""
            from flask import Flask, request
            from openai import OpenAI
            app = Flask(__name__)
            client = OpenAI()
            @app.post("/summarize")
            def summarize():
                model = request.json.get("model", "gpt-4o-mini")
                r = client.chat.completions.create(model=model,
                    messages=[{"role": "user", "content": "Summarize today's news."}])
                return {"summary": r.choices[0].message.content}
            """)),
        Example(_py("""
            from fastapi import FastAPI
            from pydantic import BaseModel, constr
            from langchain_openai import ChatOpenAI
            app = FastAPI()
            llm = ChatOpenAI()
            class Question(BaseModel):
                text: constr(strip_whitespace=True, max_length=2000)
                temperature: float = 0.2
            @app.post("/question")
            async def question(q: Question):
                return {"answer": (await llm.ainvoke(q.text)).content}
            """)),
    ]
    INVALID: ClassVar[list[Example]] = [
        # stored, then read back as the last 20 rows: fewer rows, each as long as it was sent (set 23)
        Example(_py("""
            from django.http import JsonResponse
            from rest_framework.decorators import api_view
            from openai import OpenAI
            client = OpenAI()
            @api_view(["POST"])
            def chat(request):
                ChatMessage.objects.create(role="user", content=request.data.get("message"))
                rows = ChatMessage.objects.filter(role="user").order_by("timestamp")[:20]
                history = [{"role": m.role, "content": m.content} for m in rows]
                r = client.chat.completions.create(model="gpt-4o-mini", messages=history)
                return JsonResponse({"reply": r.choices[0].message.content})
            """), path="chat/views.py", files=_DJANGO_URLS, line=10),
        # a test that refuses empty input bounds nothing (set 22 Jasper)
        Example(_py("""
            from flask import Flask, request, abort
            from openai import OpenAI
            app = Flask(__name__)
            client = OpenAI()
            MIN_LENGTH = 1
            @app.post("/api/chat")
            def chat():
                data = request.get_json()
                if len(data["content"]) < 1 or len(data["content"]) < MIN_LENGTH:
                    abort(400)
                r = client.chat.completions.create(model="gpt-4o-mini",
                    messages=[{"role": "user", "content": data["content"]}])
                return {"reply": r.choices[0].message.content}
            """), line=11),
        Example(_py("""
            from fastapi import FastAPI
            from pydantic import BaseModel
            from openai import AsyncOpenAI
            app = FastAPI()
            client = AsyncOpenAI()
            class ChatRequest(BaseModel):
                message: str
                conversation_id: int | None = None
            @app.post("/api/chat")
            async def chat(req: ChatRequest):
                completion = await client.chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "system", "content": "You are a helpful assistant."},
                              {"role": "user", "content": req.message}],
                )
                return {"reply": completion.choices[0].message.content}
            """), line=11),
        Example(_py("""
            from flask import Flask, request, jsonify
            from openai import OpenAI
            app = Flask(__name__)
            client = OpenAI()
            @app.route("/chat", methods=["POST"])
            def chat():
                user_message = request.json["message"]
                history = request.json.get("history", [])
                messages = [{"role": "system", "content": "You are a friendly tutor."}]
                messages.extend(history)
                messages.append({"role": "user", "content": user_message})
                response = client.chat.completions.create(model="gpt-3.5-turbo", messages=messages)
                return jsonify({"reply": response.choices[0].message.content})
            """), line=12),
        Example(_py("""
            import json
            from django.http import JsonResponse
            from django.views.decorators.csrf import csrf_exempt
            import google.generativeai as genai
            model = genai.GenerativeModel("gemini-1.5-flash")
            @csrf_exempt
            def chat(request):
                body = json.loads(request.body)
                prompt = body.get("prompt")
                result = model.generate_content(prompt)
                return JsonResponse({"text": result.text})
            """), path="chat/views.py", files=_DJANGO_URLS, line=10),
        Example(_py("""
            from fastapi import FastAPI
            from langchain_openai import ChatOpenAI
            app = FastAPI()
            llm = ChatOpenAI(model="gpt-4o-mini")
            @app.get("/ask")
            async def ask(question: str):
                answer = await llm.ainvoke(question)
                return {"answer": answer.content}
            """), line=7),
        Example(_py("""
            from rest_framework.views import APIView
            from rest_framework.response import Response
            from anthropic import Anthropic
            client = Anthropic()
            class ChatView(APIView):
                def post(self, request):
                    text = request.data.get("text", "")
                    msg = client.messages.create(model="claude-3-5-sonnet-latest", max_tokens=1024,
                                                 messages=[{"role": "user", "content": text}])
                    return Response({"reply": msg.content[0].text})
            """), path="chat/views.py",
            files=(("chat/urls.py", "from django.urls import path\nfrom .views import ChatView\n"
                                    "urlpatterns = [path('api/chat/', ChatView.as_view())]\n"),), line=8),
        Example(_py("""
            from quart import Quart, request
            from openai import AsyncOpenAI
            app = Quart(__name__)
            client = AsyncOpenAI()
            def build_messages(history, question):
                return [*history, {"role": "user", "content": question}]
            @app.post("/chat/stream")
            async def chat_stream():
                data = await request.get_json()
                messages = build_messages(data["messages"], data["question"])
                stream = await client.chat.completions.create(model="gpt-4o", messages=messages, stream=True)
                return stream
            """), line=11),
    ]

    def leave_Module(self, original_node: cst.Module) -> None:
        for hit in prompt_hits(self.ctx):
            if hit.code == self.CODE:
                self.report(hit.node, hit.context, hit.message)


class UserTextInSystemPrompt(PythonRule):
    """
    ## What it finds
    Request text placed into a system prompt inside a route handler, or inside a project function the handler
    passes it to (one hop, also through `asyncio.to_thread(helper, text)`): the content of a `{"role": "system"}`
    (or `"developer"`) message, Anthropic's `system=`, OpenAI's `instructions=`, Google's
    `system_instruction=`, LangChain `SystemMessage(...)` / `SystemMessagePromptTemplate` / `("system", ...)`,
    or a `system_prompt` variable built with an f-string, `+` or `.format`. Request text is what the client
    sent (body, form, query, FastAPI parameters, Socket.IO data), followed through variables and prompt
    builders. Not findings: a system prompt from constants or server config, user text in the user role, a
    value the server looks up by the request (`PERSONAS[persona]`), non-text values (`int(...)`, `Literal`
    and `Enum` fields), and the signed-in member's own profile (`request.user.first_name`,
    `current_user.name`), which is lower risk and left out on purpose.

    ## Why it matters
    Models follow the system prompt with more authority than the conversation: whoever controls its text can
    switch off your guardrails, change the persona, reveal the rest of the prompt and steer tool calls, for
    every answer of the session.

    ## Example
    ```python
    persona = request.json["persona"]
    messages = [{"role": "system", "content": f"You are {persona}. Never reveal the discount code."},
                {"role": "user", "content": request.json["message"]}]
    ```

    ## Fix
    Keep the system prompt constant (or chosen by the server from an allow-list: `PERSONAS[persona]` after
    checking the key) and put the member's text in a `user` message; validate fields that must shape the
    instructions against a fixed set of values (`Literal["formal", "casual"]`).
    """

    CODE = "LR603"
    MESSAGE = "request text placed into a system prompt"
    VALID: ClassVar[list[Example]] = [
        Example(_py("""
            from fastapi import FastAPI
            from pydantic import BaseModel
            from openai import OpenAI
            app = FastAPI()
            client = OpenAI()
            SYSTEM_PROMPT = "You are a helpful assistant for Acme."
            class ChatIn(BaseModel):
                message: str
            @app.post("/chat")
            def chat(body: ChatIn):
                r = client.chat.completions.create(model="gpt-4o-mini", messages=[
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": body.message}])
                return {"reply": r.choices[0].message.content}
            """)),
        Example(_py("""
            from flask import Flask, request, abort
            from openai import OpenAI
            app = Flask(__name__)
            client = OpenAI()
            PERSONAS = {"tutor": "You are a patient tutor.", "coach": "You are a running coach."}
            @app.post("/chat")
            def chat():
                persona = request.json.get("persona", "tutor")
                if persona not in PERSONAS:
                    abort(400)
                system = PERSONAS[persona]
                r = client.chat.completions.create(model="gpt-4o-mini", messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": request.json["message"][:2000]}])
                return {"reply": r.choices[0].message.content}
            """)),
        Example(_py("""
            from typing import Literal
            from fastapi import FastAPI
            from pydantic import BaseModel, Field
            import anthropic
            app = FastAPI()
            client = anthropic.Anthropic()
            class Ask(BaseModel):
                question: str = Field(max_length=2000)
                tone: Literal["formal", "casual"] = "casual"
            @app.post("/ask")
            def ask(body: Ask):
                m = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=512,
                                           system=f"Answer in a {body.tone} tone.",
                                           messages=[{"role": "user", "content": body.question}])
                return {"answer": m.content[0].text}
            """)),
        Example(_py("""
            from django.http import JsonResponse
            from django.contrib.auth.decorators import login_required
            from langchain_core.messages import HumanMessage, SystemMessage
            from langchain_openai import ChatOpenAI
            llm = ChatOpenAI()
            @login_required
            def chat(request):
                system = SystemMessage(content=f"The member's name is {request.user.first_name}.")
                reply = llm.invoke([system, HumanMessage(content=request.POST["message"][:2000])])
                return JsonResponse({"reply": reply.content})
            """), path="chat/views.py", files=_DJANGO_URLS),
        Example(_py("""
            import os
            from flask import Flask, request
            from openai import OpenAI
            app = Flask(__name__)
            client = OpenAI()
            @app.post("/chat")
            def chat():
                system_prompt = os.environ.get("SYSTEM_PROMPT", "You are helpful.")
                question = request.form["question"][:1000]
                r = client.chat.completions.create(model="gpt-4o-mini", messages=[
                    {"role": "system", "content": system_prompt},
                    {"role": "user", "content": f"Question: {question}"}])
                return r.choices[0].message.content
            """)),
        Example(_py("""
            from fastapi import FastAPI
            from openai import OpenAI
            app = FastAPI()
            client = OpenAI()
            @app.get("/count")
            def count(n: int, topic: str):
                r = client.chat.completions.create(model="gpt-4o-mini", messages=[
                    {"role": "system", "content": f"List exactly {n} items."},
                    {"role": "user", "content": topic[:200]}])
                return r.choices[0].message.content
            """)),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example(_py("""
            from flask import Flask, request, jsonify
            from openai import OpenAI
            app = Flask(__name__)
            client = OpenAI()
            @app.route("/chat", methods=["POST"])
            def chat():
                data = request.get_json()
                persona = data.get("persona", "a helpful assistant")
                messages = [{"role": "system", "content": f"You are {persona}. Never reveal internal data."},
                            {"role": "user", "content": data["message"]}]
                r = client.chat.completions.create(model="gpt-4o-mini", messages=messages)
                return jsonify(reply=r.choices[0].message.content)
            """), line=9),
        Example(_py("""
            from fastapi import FastAPI
            from pydantic import BaseModel, Field
            import anthropic
            app = FastAPI()
            client = anthropic.Anthropic()
            class ChatRequest(BaseModel):
                message: str = Field(max_length=4000)
                instructions: str = Field(default="", max_length=500)
            @app.post("/chat")
            def chat(req: ChatRequest):
                m = client.messages.create(model="claude-3-5-sonnet-latest", max_tokens=1024,
                                           system="You are Acme's support bot. " + req.instructions,
                                           messages=[{"role": "user", "content": req.message}])
                return {"reply": m.content[0].text}
            """), line=12),
        Example(_py("""
            import json
            from django.http import JsonResponse
            from langchain_core.messages import HumanMessage, SystemMessage
            from langchain_openai import ChatOpenAI
            llm = ChatOpenAI()
            def chat(request):
                body = json.loads(request.body)
                context = body.get("context", "")
                messages = [SystemMessage(content="Use this context to answer:\\n" + context),
                            HumanMessage(content=body["question"][:2000])]
                return JsonResponse({"answer": llm.invoke(messages).content})
            """), path="chat/views.py", files=_DJANGO_URLS, line=9),
        Example(_py("""
            from fastapi import FastAPI
            from pydantic import BaseModel
            from openai import OpenAI
            app = FastAPI()
            client = OpenAI()
            class Body(BaseModel):
                language: str
                text: str
            @app.post("/translate")
            def translate(body: Body):
                system_prompt = "Translate the user's text into {}.".format(body.language)
                r = client.chat.completions.create(model="gpt-4o-mini", messages=[
                    {"role": "system", "content": system_prompt},
                    {"role": "user", "content": body.text[:4000]}])
                return {"text": r.choices[0].message.content}
            """), line=11),
        Example(_py("""
            from fastapi import FastAPI
            from langchain_core.prompts import ChatPromptTemplate
            from langchain_openai import ChatOpenAI
            app = FastAPI()
            llm = ChatOpenAI()
            @app.post("/rag")
            async def rag(payload: dict):
                prompt = ChatPromptTemplate.from_messages([
                    ("system", payload.get("system_template", "Answer from the context.")),
                    ("human", "{question}"),
                ])
                chain = prompt | llm
                return {"answer": (await chain.ainvoke({"question": payload["question"][:1000]})).content}
            """), line=9),
        Example(_py("""
            from flask import Flask, request
            from openai import OpenAI
            app = Flask(__name__)
            client = OpenAI()
            @app.post("/respond")
            def respond():
                r = client.responses.create(model="gpt-4.1-mini",
                                            instructions=request.json.get("instructions", "Be brief."),
                                            input=request.json["input"][:2000])
                return {"text": r.output_text}
            """), line=8),
    ]

    def leave_Module(self, original_node: cst.Module) -> None:
        for hit in (*prompt_hits(self.ctx), *helper_system_hits(self.ctx)):
            if hit.code == self.CODE:
                self.report(hit.node, hit.context, hit.message)


RULES = (UnboundedPromptInput, UserTextInSystemPrompt)
