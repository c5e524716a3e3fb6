"""Data routes public by intent, judged by what they touch (``auth.public_by_content``): a GET that only reads
catalogue or directory content, a POST that only inserts a public form's record. Members' rows, a key on the
caller or a member, and other writes stay AUTH302."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.auth import public_by_content
from scanner.engines.semgrep.routes import Route
from scanner.engines.semgrep.runner import Match, find_semgrep

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

EXPRESS = "const express = require('express');\nconst router = express.Router();\n"
NEXT = "import { connectToDatabase } from '@/lib/db';\n"

# (path, method, url, handler source)
PUBLIC = [
    ("routes/products.js", "GET", "/products",
     "router.get('/products', async (req, res) => {\n  res.json(await Product.find().sort({ name: 1 }));\n});\n"),
    ("routes/categories.js", "GET", "/categories",
     "router.get('/categories', async (req, res) => {\n"
     "  res.json(await prisma.category.findMany({ orderBy: { name: 'asc' } }));\n});\n"),
    ("routes/providers.js", "GET", "/providers",
     "router.get('/providers', async (req, res) => {\n"
     "  res.json({ profiles: await Profile.find().populate(['location', 'expertise']) });\n});\n"),
    ("app/api/faqs/route.ts", "GET", "/api/faqs",
     "export async function GET() {\n  const { db } = await connectToDatabase();\n"
     "  return Response.json(await db.collection('faqs').find({}).toArray());\n}\n"),
    ("app/api/bookings/route.ts", "POST", "/api/bookings",
     "export async function POST(req: Request) {\n  const { email, phone, name } = await req.json();\n"
     "  const { db } = await connectToDatabase();\n"
     "  const r = await db.collection('bookings').insertOne({ email, phone, name, createdAt: new Date() });\n"
     "  return Response.json({ id: r.insertedId }, { status: 201 });\n}\n"),
    ("routes/contact.js", "POST", "/contact",
     "router.post('/contact', async (req, res) => {\n"
     "  await Contact.create({ name: req.body.name, email: req.body.email, text: req.body.text });\n"
     "  res.status(201).json({ ok: true });\n});\n"),
]
MEMBER_DATA = [
    ("routes/users.js", "GET", "/users",
     "router.get('/users', async (req, res) => {\n  res.json({ users: await User.find() });\n});\n"),
    ("app/api/reservations/route.ts", "GET", "/api/reservations",
     "export async function GET() {\n  const { db } = await connectToDatabase();\n"
     "  return Response.json(await db.collection('bookings').find({}).toArray());\n}\n"),
    ("routes/chats.js", "GET", "/chats",
     "router.get('/chats', async (req, res) => {\n  res.json(await Chat.find({ userId: req.query.userId }));\n});\n"),
    ("routes/sync.js", "GET", "/products/sync",
     "router.get('/products/sync', async (req, res) => {\n  const all = await Product.find();\n"
     "  await Product.updateMany({}, { synced: true });\n  res.json(all);\n});\n"),
    ("routes/bookings.js", "POST", "/bookings",
     "router.post('/bookings', async (req, res) => {\n"
     "  const b = await Booking.create({ userId: req.body.userId, slot: req.body.slot });\n  res.json(b);\n});\n"),
    ("routes/orders.js", "GET", "/orders",
     "router.get('/orders', async (req, res) => {\n  res.json(await Order.find().populate('items'));\n});\n"),
    # set 25 AITC-Server: a CRM's address-book entry (a role and a phone, no message for the staff)
    ("routes/contacts.js", "POST", "/api/contacts",
     "router.post('/contacts', async (req, res) => {\n  const contact = new Contact({ name: req.body.name, role: req.body.role,"
     " phone: req.body.phone, email: req.body.email });\n  try {\n    res.status(201).json(await contact.save());\n"
     "  } catch (err) {\n    res.status(400).json({ message: err.message });\n  }\n});\n"),
    ("routes/leads.js", "POST", "/leads",
     "router.post('/leads', async (req, res) => {\n  const old = await Lead.findOne({ email: req.body.email });\n"
     "  await Lead.create(req.body);\n  res.json(old);\n});\n"),
]


def _route(path: str, method: str, url: str, body: str, name: str = "") -> Route:
    match = Match("js-express-route", "AUTH303", "route", path, 1, 1, 1, 1, 0, len(body))
    return Route(match, "express", name or url, url, body, method=method)


@pytest.mark.parametrize(("path", "method", "url", "body"), PUBLIC)
def test_public_content_routes(path: str, method: str, url: str, body: str) -> None:
    assert public_by_content(_route(path, method, url, body))


@pytest.mark.parametrize(("path", "method", "url", "body"), MEMBER_DATA)
def test_member_data_routes(path: str, method: str, url: str, body: str) -> None:
    assert not public_by_content(_route(path, method, url, body))


def test_directory_named_by_the_handler_in_another_module() -> None:
    body = "export const getTherapistProfile = async (req, res) => {\n  res.json(await Profile.findById(req.params.id));\n};\n"
    route = _route("routes/main.js", "GET", "/profile/:id", "", "getTherapistProfile")
    assert public_by_content(route, [body])
    assert not public_by_content(_route("routes/main.js", "GET", "/profile/:id", "", "getProfile"), [body])


@needs_semgrep
def test_only_member_data_routes_are_auth302(tmp_path: Path) -> None:
    for path, _method, _url, body in PUBLIC + MEMBER_DATA:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix = NEXT if path.startswith("app/") else EXPRESS
        target.write_text(prefix + body + ("module.exports = router;\n" if prefix == EXPRESS else ""))
    result = scan(tmp_path, Config(), ScanOptions(engines=("semgrep",)))
    hits = sorted((f.rule_id, f.location.path) for f in result.findings if f.rule_id.startswith("AUTH30"))
    # Mongoose Model.create and new Model().save() are not database facts of js-db-call: those open POSTs are AUTH303
    expected = [("AUTH303" if p in ("routes/bookings.js", "routes/contacts.js") else "AUTH302", p)
                for p, *_ in MEMBER_DATA]
    assert hits == sorted(expected)
