"""What the prompt-input rules (LR602 unbounded-prompt-input, LR603 user-text-in-system-prompt) know about
chat message shapes, system-prompt slots and the ways code bounds request text.

Sources: the OpenAI chat/Responses API (``role: "system"`` / ``"developer"``, ``instructions``), Anthropic
Messages (``system=``), Google GenAI (``system_instruction``), LangChain (``SystemMessage``,
``SystemMessagePromptTemplate``, ``("system", ...)`` tuples), Vercel AI SDK (``system:``), pydantic v1/v2
(``Field(max_length)``, ``constr``, ``StringConstraints``, ``conlist``, ``str_max_length``), FastAPI
``Query``/``Body``/``Form`` and zod ``.max()``.
"""

from __future__ import annotations

import re

#: Chat roles whose content the app, not the member, should write.
SYSTEM_ROLES = frozenset({"system", "developer"})
#: Keyword arguments that set a system prompt on a model call or agent (Anthropic ``system=``, OpenAI
#: Responses/Agents ``instructions=``, Google ``system_instruction=``).
SYSTEM_KEYWORDS = frozenset({"system", "system_prompt", "system_message", "system_instruction",
                             "instructions"})
#: Keywords that only mean "system prompt" on a model call (``instructions=`` of other calls are not prompts).
MODEL_ONLY_KEYWORDS = frozenset({"instructions"})
#: Classes whose (first) argument is a system prompt (LangChain, LlamaIndex, semantic-kernel style).
SYSTEM_MESSAGE_CLASSES = frozenset({"SystemMessage", "SystemMessagePromptTemplate", "SystemPromptTemplate"})
#: A variable that holds a system prompt (its assignment is where user text is placed into it).
SYSTEM_VARIABLE = re.compile(r"(?i)^_*(sys(tem)?_?(prompt|message|msg|instructions?|content|template|text)s?|"
                             r"(base|custom|full|final)_system_prompt)$")
#: Argument names of functions that build prompts: text passes through them.
PROMPT_BUILDER_WORDS = frozenset({"prompt", "prompts", "message", "messages", "template", "format", "build",
                                  "render", "compose", "construct", "make", "wrap", "join", "concat"})
#: Calls whose result is a bounded piece of their argument (truncation, shortening).
TRUNCATE_WORDS = frozenset({"truncate", "truncated", "trim", "trimmed", "shorten", "clip", "cap", "limit",
                            "limited", "trim_messages"})
#: Calls that check a value's size (inside a comparison or as a statement): ``count_tokens(x) > N``,
#: ``validate_length(x)``.
SIZE_CHECK_WORDS = frozenset({"len", "length", "token", "tokens", "count", "size", "validate", "check",
                              "limit", "ensure", "enforce", "guard", "verify"})
#: Keywords of pydantic / FastAPI parameters that bound a value's size.
BOUND_KEYWORDS = frozenset({"max_length", "max_items", "max_len", "str_max_length", "max_anystr_length",
                            "maxLength"})
#: Request attributes that hold what the client sent (Flask, Quart, Django, DRF, Starlette).
REQUEST_BODY_ATTRS = frozenset({"json", "form", "args", "values", "data", "POST", "GET", "query_params",
                                "body", "get_json", "get_data", "path_params", "stream", "media"})
#: Names a handler's request object goes by.
REQUEST_NAMES = frozenset({"request", "req"})
#: Types of FastAPI parameters that carry no request text.
NON_TEXT_TYPES = frozenset({"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "Decimal",
                            "Request", "Response", "BackgroundTasks", "UploadFile", "WebSocket", "Session",
                            "AsyncSession", "HTTPConnection", "HttpRequest", "User", "EmailStr", "HttpUrl",
                            "PositiveInt", "conint", "confloat", "StrictInt", "StrictBool", "Literal"})
#: Calls whose result carries no request text whatever went in.
NON_TEXT_CALLS = frozenset({"int", "float", "bool", "len", "UUID", "hash", "isinstance", "round", "abs",
                            "min", "max", "sum", "sorted_keys", "id", "type", "uuid4", "count"})
#: Model SDK calls that send a prompt but are missing from ``MODEL_CALL_SUFFIXES`` (a client whose construction
#: is out of sight, such as ``bp.openai_client.responses.stream(...)``).
PROMPT_CALL_SUFFIXES = ("responses.stream", "chat.completions.stream", "beta.chat.completions.stream",
                        "beta.chat.completions.parse", "messages.stream", "createChatCompletion")
#: Last words of request keys that name ids, switches and sampling settings, not text (``conversationId``,
#: ``frugalMode``, ``max_tokens``, ``top_p``).
#: A field or parameter that holds an address, not text for the model (``imageurl``, ``image_url``, ``doc_link``):
#: its length is not what a prompt bound limits.
URL_KEY = re.compile(r"(?i)(?:url|uri|link|href)s?$")
NON_TEXT_KEY_WORDS = frozenset({"id", "ids", "uuid", "mode", "type", "flag", "enabled", "temperature", "p", "k",
                                "penalty", "tokens", "stream", "streaming", "key", "seed", "model", "count",
                                "limit", "page", "index", "idx", "timestamp", "ts"})
