"""Object-ownership facts for AUTH307 (unscoped object access), shared by the Python and JS/TS engines.

What a request id looks like, which fields tie a row to its owner (user, tenant, organisation), which ORM
calls load, change or delete one row by a condition, and which names say "per-user data". Sources: the query
docs of the Django ORM (``get``/``filter``/``get_object_or_404``), SQLAlchemy 2.0 (``Session.get``,
``select().where()``), Flask-SQLAlchemy (``Model.query.get_or_404``), Prisma Client (``findUnique``, ``update``,
``delete``: ``where`` takes the unique id), Mongoose (``findById*``), pymongo (``find_one``), Drizzle
(``where(eq(t.id, id))``) and supabase-js / supabase-py (``.eq(column, value)``).
"""

from __future__ import annotations

import re

from scanner.knowledge import words

#: A name that carries one object's id: ``id``, ``pk``, ``chat_id``, ``chatId``, ``conversation_uuid``, ``_id``.
ID_NAME = re.compile(r"^_?(?:id|pk|uuid|slug)$|^\w+?(?:_id|_uuid|_pk|Id|Uuid|ID)$")

#: Field names (snake or camel case, any Django ``__`` lookup on them) that tie a row to a user, tenant or
#: organisation: a condition on one of them scopes the query.
OWNER_WORDS = frozenset({
    "user", "users", "owner", "owners", "tenant", "org", "organization", "organisation", "workspace", "team",
    "account", "author", "creator", "member", "members", "participant", "participants", "profile", "customer",
    "uploader", "sender", "uid", "company", "group", "groups", "shared",
})
#: Compound owner names that the words above miss (``created_by``, ``createdBy``, ``uploaded_by``).
OWNER_COMPOUND = re.compile(r"(?i)^(?:created|uploaded|owned|added|submitted)_?by")

#: Text that reads the signed-in user or its role (Python and JS): a query or check that mentions one is
#: tied to the caller.
SESSION_USER = re.compile(
    r"\brequest\.(?:user|auth)\b|\bcurrent_user\b|\bcurrentUser\b|\bg\.user\b|get_jwt_identity|\bsession\.user\b|"
    r"\buser\.(?:id|pk|uid|email|sub)\b|\buser_id\b|\buserId\b|\breq\.user\b|\bres\.locals\.user|"
    r"\bauth\.uid\(\)|\bclaims\b|\bprincipal\b|\bidentity\b|\bviewer\b|\bme\b"
)
#: A role check (the route is for staff, admins or a permission): objects of any owner are in scope.
ROLE_CHECK = re.compile(
    r"(?i)is_?(?:super_?user|staff|admin)\b|\buser\w*\.roles?\b|admin_required|superuser|IsAdminUser|staff_member_required|"
    r"has_?perm|permission_required|require_?admin|get_?admin|admin_?user|check_?permission|"
    r"\b(?:roles?|admin)_required|\bauthori[sz]e\b|\b(?:has|require|check)_?(?:any_?)?roles?\s*\("
)
#: Calls after a load that decide whether the caller may see the object (``check_owner(chat, user)``,
#: ``self.check_object_permissions(request, obj)``, ``assertCanAccess(chat)``).
ACCESS_CHECK_CALL = re.compile(
    r"(?i)(?:^|[._])(?:check|ensure|verify|assert|require|validate|authori[sz]e|can|has|is)_?\w*"
    r"(?:own|access|permission|perm|member|allowed|author|visible|belong)\w*$|check_object_permissions$"
)

#: Python ORM calls that select rows by keyword or comparison conditions (Django ``get``/``filter``/
#: ``get_object_or_404``, SQLAlchemy ``filter``/``filter_by``/``where``, Flask-SQLAlchemy ``first_or_404``).
PY_CONDITION_LOOKUPS = frozenset({"get", "filter", "filter_by", "where", "get_object_or_404", "get_list_or_404",
                                  "get_or_none", "aget", "afilter", "first_or_404", "exclude"})
#: Python calls that take the primary key itself: ``session.get(Model, pk)``, ``Model.query.get_or_404(pk)``.
PY_PRIMARY_KEY_GETS = frozenset({"get", "get_or_404", "aget", "first_or_404", "one_or_404"})
#: pymongo / Motor single-document calls whose first argument is the filter document.
MONGO_ONE = frozenset({"find_one", "update_one", "delete_one", "find_one_and_update", "find_one_and_delete",
                       "replace_one", "find_one_and_replace"})
#: Project helpers named for a lookup by id: ``get_chat_by_id(id)`` (the name says the model) and
#: ``repo.get_by_id(id)`` (the receiver says it).
PY_HELPER = re.compile(r"^a?(?:get|fetch|find|load|read|delete|remove|update|edit)_(\w+?)_by_(?:id|uuid|pk)$")
PY_BY_ID = re.compile(r"^a?(?:get|fetch|find|load|read|delete|remove|update|edit)_by_(?:id|uuid|pk)$")

#: Words of a module-level list or dict that holds what visitors said to the bot (``chats = []``,
#: ``chat_histories = {}``): an in-memory store of conversations (``memory_store``).
CONVERSATION_STORE_WORDS = frozenset({
    "chat", "chats", "conversation", "conversations", "message", "messages", "history", "histories",
    "transcript", "transcripts", "dialog", "dialogs", "dialogue", "dialogues",
})
#: Model or table words that mean "one member's data" (used when the model's definition is not in sight).
PER_USER_WORDS = frozenset({
    "chat", "chats", "conversation", "conversations", "thread", "threads", "message", "messages", "document",
    "documents", "doc", "docs", "file", "files", "upload", "uploads", "note", "notes", "prompt", "prompts",
    "assistant", "assistants", "agent", "agents", "project", "projects", "folder", "folders", "collection",
    "collections", "dataset", "datasets", "memory", "memories", "attachment", "attachments", "bot", "bots",
    "character", "characters", "preset", "presets", "invoice", "invoices", "order", "orders", "subscription",
    "subscriptions", "feedback", "history", "histories", "transcript", "transcripts", "dialog", "dialogue",
    "dialogs", "workflow", "workflows", "knowledge", "journal", "entry", "entries", "item", "items", "task",
    "tasks", "todo", "todos", "post", "posts", "comment", "comments", "vote", "votes", "bookmark", "bookmarks",
    "card", "cards", "deck", "decks", "resume", "resumes", "record", "records", "report", "reports", "apikey",
    "key", "keys", "integration", "integrations", "channel", "channels", "notebook", "notebooks", "artifact",
    "artifacts", "suggestion", "suggestions", "session", "sessions", "image", "images", "generation",
    "generations",
})
#: Models that are the members themselves or shared catalogues: loading one by id is not per-user data.
NOT_OWNED_MODELS = frozenset({"user", "users", "account", "accounts", "profile", "profiles", "model", "models",
                              "plan", "plans", "product", "products", "category", "categories", "tag", "tags",
                              "organization", "organisation", "tenant", "team", "teams", "group", "groups",
                              "role", "roles", "permission", "permissions", "setting", "settings", "config"})


def helper_model(thing: str) -> str:
    """The model a ``get<Thing>ById`` helper names: its first word when that word is per-user data
    (``ChatVisibility`` -> ``Chat``, ``chat_title`` -> ``chat``), else the whole name."""
    first = re.split(r"_|(?<=[a-z0-9])(?=[A-Z])", thing, maxsplit=1)[0]
    return first if first != thing and per_user_model(first) else thing


def is_owner_field(name: str) -> bool:
    """True for a field or Django lookup that ties a row to its owner: ``user``, ``user_id``, ``userId``,
    ``owner__id``, ``created_by``, ``organization_id``, ``members__in``, ``chat__user`` (through a relation)."""
    # each step of a Django lookup across relations (``chat__user``: the chat's owner), the first included
    return any(bool(set(words(step)) & OWNER_WORDS) or bool(OWNER_COMPOUND.match(step))
               for step in name.strip("_\"'").split("__") if step)


def is_id_name(name: str) -> bool:
    """True for a name that carries one object's id (``chat_id``, ``pk``, ``conversationId``)."""
    return bool(ID_NAME.match(name))


def per_user_model(name: str) -> bool:
    """True when a model or table name (``Chat``, ``chat_messages``, ``DocumentChunk``) names per-user data
    and not the members themselves or a shared catalogue."""
    parts = set(words(name.strip("\"'`")))
    return bool(parts & PER_USER_WORDS) and not (len(parts) == 1 and parts <= NOT_OWNED_MODELS)


#: Model, table and URL words of content a site shows to every visitor (a catalogue, a directory of providers,
#: published pages): a GET that only reads such rows is public by intent.
PUBLIC_CONTENT_WORDS = frozenset({
    "product", "products", "category", "categories", "catalog", "catalogue", "service", "services", "course",
    "courses", "article", "articles", "blog", "blogs", "faq", "faqs", "tag", "tags", "plan", "plans", "pricing",
    "feature", "features", "provider", "providers", "therapist", "therapists", "doctor", "doctors", "listing",
    "listings", "event", "events", "banner", "banners", "testimonial", "testimonials", "menu", "recipe",
    "recipes", "location", "locations", "expertise", "treatment", "treatments", "language", "languages",
    "dialect", "dialects", "directory", "template", "templates", "tool", "tools", "finder", "showcase",
})
#: Records a public form creates for the site's staff (a booking, contact or waitlist request): a POST that only
#: inserts one is public by intent.
INTAKE_WORDS = frozenset({
    "booking", "bookings", "appointment", "appointments", "contact", "contacts", "lead", "leads", "waitlist",
    "subscriber", "subscribers", "newsletter", "inquiry", "inquiries", "enquiry", "enquiries", "reservation",
    "reservations",
})
#: Rows that belong to members (their chats, accounts, orders, bookings): reading them is never public content.
MEMBER_DATA_WORDS = PER_USER_WORDS | INTAKE_WORDS | frozenset({
    "user", "users", "account", "accounts", "payment", "payments", "transaction", "transactions", "member",
    "members", "customer", "customers", "password", "passwords", "token", "tokens",
})
