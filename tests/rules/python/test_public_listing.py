"""AUTH302 and public site content: a read-only Django listing of rows nobody owns (or only published ones), by no
request value, is public by intent; lists of member data, views that take a request value and views that write stay
reported."""

from __future__ import annotations

import inspect

from tests.rules.python.helpers import run

BLOG_MODELS = ("blog/models.py", inspect.cleandoc("""
    from django.conf import settings
    from django.db import models


    class Post(models.Model):
        title = models.CharField(max_length=200, unique=True)
        author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        content = models.TextField()
        status = models.IntegerField(default=0)


    class Video(models.Model):
        title = models.CharField(max_length=200)
        video_id = models.CharField(max_length=50)


    class Message(models.Model):
        text = models.TextField()


    class Past(models.Model):
        question = models.CharField(max_length=250)
        answer = models.TextField(max_length=5000)
""") + "\n")
URLS = ("blog/urls.py", "from django.urls import path\nfrom . import views\n\nurlpatterns = [\n"
                        "    path('', views.PostList.as_view()),\n    path('videos/', views.videos_list),\n"
                        "    path('messages/', views.messages_list),\n    path('drafts/', views.drafts),\n"
                        "    path('by/<int:author_id>/', views.by_author),\n    path('add/', views.add_video),\n"
                        "    path('past/', views.past),\n"
                        "    path('menu/', views.menu),\n    path('tutorias/', views.tutorias),\n]\n")


def _found(code: str) -> list[int]:
    result = run(inspect.cleandoc(code) + "\n", "blog/views.py", (BLOG_MODELS, URLS))
    assert not result.notes
    return sorted(f.location.line for f in result.findings if f.rule_id == "AUTH302")


def test_list_view_of_published_posts_is_public() -> None:
    assert _found("""
        from django.views import generic
        from .models import Post


        class PostList(generic.ListView):
            queryset = Post.objects.filter(status=1).order_by('-created_on')
            template_name = 'blog/index.html'
    """) == []


def test_function_view_listing_a_model_nobody_owns_is_public() -> None:
    assert _found("""
        from django.shortcuts import render
        from .models import Video

        def videos_list(request):
            videos = Video.objects.all()
            return render(request, 'videos_list.html', {'videos': videos})
    """) == []


def test_list_of_per_user_model_is_still_reported() -> None:
    assert _found("""
        from django.shortcuts import render
        from .models import Message

        def messages_list(request):
            return render(request, 'messages.html', {'messages': Message.objects.all()})
    """) == [4]


def test_owned_model_without_a_published_filter_is_still_reported() -> None:
    assert _found("""
        from django.shortcuts import render
        from .models import Post

        def drafts(request):
            return render(request, 'drafts.html', {'posts': Post.objects.all()})
    """) == [4]


def test_filter_by_a_request_value_is_still_reported() -> None:
    assert _found("""
        from django.shortcuts import render
        from .models import Video

        def by_author(request, author_id):
            return render(request, 'v.html', {'v': Video.objects.filter(uploader_id=author_id, status=1)})
    """) == [4]


def test_a_view_that_writes_is_still_reported() -> None:
    assert _found("""
        from django.shortcuts import redirect
        from .models import Video

        def add_video(request):
            if request.method == 'POST':
                Video.objects.create(title=request.POST['title'], video_id=request.POST['vid'])
            return redirect('/videos/')
    """) == [4]


def test_a_list_view_base_that_writes_is_still_reported() -> None:
    result = run("from rest_framework.viewsets import ModelViewSet\nfrom .models import Video\n\n"
                 "class VideoViewSet(ModelViewSet):\n    queryset = Video.objects.all()\n", "blog/views.py",
                 (BLOG_MODELS,))
    assert [f.location.line for f in result.findings if f.rule_id == "AUTH302"] == [4]


def test_a_status_filter_does_not_publish_private_rows() -> None:
    assert _found("""
        from django.shortcuts import render
        from .models import Message

        def messages_list(request):
            return render(request, 'm.html', {'messages': Message.objects.filter(status='sent')})
    """) == [4]


def test_a_log_of_questions_and_answers_is_member_data_whatever_its_name() -> None:
    assert _found("""
        from django.core.paginator import Paginator
        from django.shortcuts import render
        from .models import Past

        def past(request):
            pages = Paginator(Past.objects.all(), 5).get_page(request.GET.get("page"))
            return render(request, "past.html", {"past": Past.objects.all(), "pages": pages})
    """) == [5]


def test_a_listing_that_looks_at_the_session_is_a_member_page() -> None:
    assert _found("""
        from django.shortcuts import render
        from .models import Video

        def menu(request):
            logged_in = request.session.get('logged_in', False)
            return render(request, 'menu.html', {'videos': Video.objects.all(), 'logged_in': logged_in})
    """) == [4]


def test_a_model_the_project_does_not_define_cannot_be_checked() -> None:
    assert _found("""
        from django.shortcuts import render
        from tutor.models import Tutoria

        def tutorias(request):
            return render(request, 't.html', {'x': Tutoria.objects.all()})
    """) == [4]
