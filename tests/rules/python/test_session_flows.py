"""Auth judged by what a view does with the session: work done only under a positive test of a session value
(``if logged_in and rol == "Tutor":``) is guarded; a view that creates an account and signs the visitor in is a
sign-up flow, public by intent whatever its name (``registro_tutor``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.python.frameworks.cases import Case, check

DJ = "from django.shortcuts import render, redirect\nfrom .models import Tutor, Tutoria\n\n"
FL = ("from flask import Flask, request, session, redirect\nfrom flask_sqlalchemy import SQLAlchemy\n"
      "app = Flask(__name__)\ndb = SQLAlchemy(app)\n\n")
V = "app/views.py"

GUARDED = [  # every database call runs under a positive session test: no finding
    Case({V: DJ + "def menu(request):\n    logged_in = request.session.get('logged_in', False)\n"
                  "    rol = request.session.get('rol')\n    if logged_in and rol == 'Tutor':\n"
                  "        t = Tutor.objects.get(numero=request.session['numero'])\n"
                  "        return render(request, 'm.html', {'t': t})\n    return redirect('inicio')\n"}),
    Case({V: DJ + "def menu(request):\n    logged_in = request.session.get('logged_in', False)\n"
                  "    rol = request.session.get('rol')\n    if logged_in and rol == 'Tutor':\n"
                  "        return render(request, 'a.html', {'x': Tutoria.objects.all()})\n"
                  "    elif logged_in and rol == 'Tutorado':\n"
                  "        return render(request, 'b.html', {'x': Tutoria.objects.filter(activa=True)})\n"
                  "    return redirect('inicio')\n"}),
    Case({V: DJ + "def panel(request):\n    if request.session.get('user_id'):\n"
                  "        return render(request, 'p.html', {'x': Tutoria.objects.all()})\n"
                  "    return redirect('login')\n"}),
    Case({"app.py": FL + "@app.route('/notes')\ndef notes():\n    if 'uid' in session:\n"
                         "        return {'n': [n.text for n in db.session.query(Note).all()]}\n"
                         "    return redirect('/login')\n"}),
    Case({"app.py": FL + "@app.route('/mine')\ndef mine():\n    uid = session.get('uid')\n    if uid:\n"
                         "        rows = db.session.query(Note).filter_by(owner=uid).all()\n"
                         "        return {'n': len(rows)}\n    return {'n': 0}\n"}),
]
OPEN = [  # some database call runs outside any session test: AUTH302
    Case({V: DJ + "def crear(request):\n    logged_in = request.session.get('logged_in', False)\n"
                  "    if request.method == 'POST':\n        Tutoria.objects.create(nombre=request.POST['n'])\n"
                  "    return render(request, 'c.html', {'logged_in': logged_in})\n"},
         [("AUTH302", V, 4)]),
    Case({V: DJ + "def menu(request):\n    logged_in = request.session.get('logged_in', False)\n"
                  "    if logged_in:\n        return render(request, 'a.html', {'x': Tutoria.objects.all()})\n"
                  "    return render(request, 'b.html', {'x': Tutor.objects.all()})\n"},
         [("AUTH302", V, 4)]),
    Case({V: DJ + "def menu(request):\n    rol = request.session.get('rol')\n"
                  "    if rol == 'Tutor' or request.GET.get('preview'):\n"
                  "        return render(request, 'a.html', {'x': Tutoria.objects.all()})\n"
                  "    return redirect('inicio')\n"},
         [("AUTH302", V, 4)]),
    Case({"app.py": FL + "@app.route('/notes')\ndef notes():\n    rows = db.session.query(Note).all()\n"
                         "    if 'uid' in session:\n        return {'n': [n.text for n in rows]}\n"
                         "    return redirect('/login')\n"},
         [("AUTH302", "app.py", 6)]),
    Case({"app.py": FL + "@app.route('/notes')\ndef notes():\n    if request.args.get('all'):\n"
                         "        return {'n': db.session.query(Note).count()}\n    return {'n': 0}\n"},
         [("AUTH302", "app.py", 6)]),
]
SIGNUP = [  # creates an account and signs the visitor in: public by intent
    Case({V: DJ + "def registro_tutor(request):\n    form = TutorForm(request.POST)\n    if form.is_valid():\n"
                  "        t = form.save(commit=False)\n        t.save()\n        request.session['logged_in'] = True\n"
                  "        return redirect('menu')\n    return render(request, 'r.html', {'form': form})\n"}),
    Case({V: "from django.contrib.auth import login\nfrom django.contrib.auth.models import User\n"
             "from django.shortcuts import redirect\n\ndef alta(request):\n"
             "    user = User.objects.create_user(request.POST['u'], password=request.POST['p'])\n"
             "    login(request, user)\n    return redirect('/')\n"}),
    Case({V: "from django.contrib.auth import login\nfrom django.shortcuts import redirect, render\n\n"
             "def crear_cuenta(request):\n    form = CuentaForm(request.POST or None)\n    if form.is_valid():\n"
             "        user = form.save()\n        login(request, user)\n        return redirect('/')\n"
             "    return render(request, 'c.html', {'form': form})\n"}),
    Case({"app.py": FL + "from werkzeug.security import generate_password_hash\n\n@app.post('/join')\ndef join():\n"
                         "    u = User(email=request.form['e'], pw=generate_password_hash(request.form['p']))\n"
                         "    db.session.add(u)\n    db.session.commit()\n    session['user_id'] = u.id\n"
                         "    return redirect('/')\n"}),
    Case({"app.py": FL + "from flask_login import login_user\n\n@app.post('/inscription')\ndef inscription():\n"
                         "    u = User(email=request.form['e'])\n    u.set_password(request.form['p'])\n"
                         "    db.session.add(u)\n    db.session.commit()\n    login_user(u)\n    return redirect('/')\n"}),
    # creates an account without signing in (a JSON API's registration; the client logs in next): public too
    Case({V: "from django.contrib.auth.models import User\nfrom django.http import JsonResponse\n\n"
             "def crear_usuario(request):\n    User.objects.create_user(request.POST['u'], password=request.POST['p'])\n"
             "    return JsonResponse({'ok': True})\n"}),
]
NOT_SIGNUP = [  # writes without creating an account, or sets a password on a loaded user: still a finding
    Case({V: DJ + "def guardar(request):\n    t = Tutoria(nombre=request.POST['n'])\n    t.save()\n"
                  "    request.session['ultimo'] = t.id\n    return redirect('menu')\n"},
         [("AUTH303", V, 4)]),  # ``t.save()`` on a local is not seen as a database call
    Case({"app.py": FL + "@app.post('/notes')\ndef add_note():\n    db.session.add(Note(text=request.form['t']))\n"
                         "    db.session.commit()\n    session['last_note'] = 1\n    return redirect('/')\n"},
         [("AUTH302", "app.py", 6)]),
    Case({"app.py": FL + "@app.post('/reset')\ndef reset():\n    u = db.session.query(User).get(request.form['id'])\n"
                         "    u.set_password(request.form['p'])\n    db.session.commit()\n    return {'ok': True}\n"},
         [("AUTH302", "app.py", 6)]),
    Case({"app.py": FL + "import openai\n\n@app.post('/onboard')\ndef onboard():\n"
                         "    u = User(email=request.form['e'])\n    u.set_password(request.form['p'])\n"
                         "    db.session.add(u)\n    db.session.commit()\n    session['user_id'] = u.id\n"
                         "    return {'tip': openai.chat.completions.create(model='m', messages=[])}\n"},
         [("AUTH301", "app.py", 8)]),
]


@pytest.mark.parametrize("case", GUARDED + SIGNUP)
def test_session_guarded_and_signup_views(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", OPEN + NOT_SIGNUP)
def test_open_views(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)
