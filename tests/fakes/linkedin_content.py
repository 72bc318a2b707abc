"""Organizations, images and posts on the fake LinkedIn.

Sources (learn.microsoft.com/linkedin/marketing/community-management unless noted):
- ``organizations/organization-access-control-by-role``: ``GET
  /rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED``
  → ``{"elements": [{"roleAssignee", "state", "role", "organization"}],
  "paging"}``; projection ``organization~(localizedName)`` decorates.
  Posting as an organization needs ADMINISTRATOR or CONTENT_ADMINISTRATOR.
- ``shares/images-api``: ``POST /rest/images?action=initializeUpload`` with
  ``{"initializeUploadRequest": {"owner"}}`` → ``{"value": {"uploadUrl",
  "uploadUrlExpiresAt", "image"}}``; ``PUT`` the bytes to ``uploadUrl``
  (Bearer) → 201; ``GET /rest/images/{urn}`` → ``status`` WAITING_UPLOAD,
  PROCESSING, AVAILABLE or PROCESSING_FAILED. JPG, PNG, GIF under
  36,152,320 pixels (Ayrshare).
- ``shares/posts-api``: ``POST /rest/posts`` (author, commentary,
  visibility, distribution, lifecycleState, content.media{id, altText} or
  content.multiImage.images[{id, altText}]) → 201, empty body, the post URN
  in ``x-restli-id``; ``GET /rest/posts/{encoded urn}``; ``GET
  /rest/posts?author={urn}&q=author&count&start&sortBy`` (finder);
  ``DELETE /rest/posts/{encoded urn}`` → 204. ``shares/multiimage-post-api``:
  2 to 20 images. A repeated post answers 422 naming the existing URN.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from tests.fakes.linkedin_models import LiImage, LiPost, LiToken, li_error, random_key
from tests.fakes.remote_media import inspect_image
from tests.fakes.web import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from tests.fakes.linkedin import FakeLinkedIn

POSTING_ROLES = ("ADMINISTRATOR", "CONTENT_ADMINISTRATOR")
VISIBILITIES = ("PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER")


def decoded(value: str) -> str:
    """URNs arrive percent-encoded once or twice (Rest.li 2.0 keys in paths and lists)."""
    previous = None
    while previous != value:
        previous, value = value, unquote(value)
    return value


def ms(timestamp: float) -> int:
    return int(timestamp * 1000)


class LinkedInContentMixin:
    """Organization ACLs, images, posts; mixed into FakeLinkedIn."""

    def _role(self: FakeLinkedIn, token: LiToken, owner_urn: str) -> str | None:
        if owner_urn == f"urn:li:person:{token.member_id}":
            return "SELF"
        org = self.organizations.get(owner_urn.rsplit(":", 1)[-1])
        if org is None or not owner_urn.startswith("urn:li:organization:"):
            return None
        return org.roles.get(token.member_id)

    def _may_post_as(self: FakeLinkedIn, token: LiToken, owner_urn: str) -> bool:
        role = self._role(token, owner_urn)
        if role == "SELF":
            return "w_member_social" in token.scopes
        return role in POSTING_ROLES and "w_organization_social" in token.scopes

    # -- organizations ---------------------------------------------------------
    def organization_acls(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        if request.arg("q") != "roleAssignee":
            return li_error("bad_request", detail="Invalid finder: q must be roleAssignee")
        role = request.arg("role")
        state = request.arg("state", "APPROVED")
        decorate = "organization~" in (request.arg("projection") or "")
        elements = []
        for org in self.organizations.values():
            member_role = org.roles.get(token.member_id)
            if member_role is None or (role and member_role != role) or state != "APPROVED":
                continue
            element: dict[str, Any] = {
                "roleAssignee": f"urn:li:person:{token.member_id}",
                "state": "APPROVED",
                "role": member_role,
                "organization": org.urn,
            }
            if decorate:
                element["organization~"] = {"localizedName": org.name}
            elements.append(element)
        return json_response(
            {"paging": {"count": 10, "start": 0, "links": []}, "elements": elements}
        )

    def get_organization(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        org = self.organizations.get(request.params["id"])
        if org is None:
            return li_error("not_found", detail=f"organization {request.params['id']}")
        return json_response(
            {
                "id": int(org.id),
                "localizedName": org.name,
                "vanityName": org.vanity_name,
                "name": {
                    "localized": {"fr_FR": org.name},
                    "preferredLocale": {"country": "FR", "language": "fr"},
                },
                "localizedWebsite": f"https://{org.vanity_name}.example.fr",
            }
        )

    # -- images ----------------------------------------------------------------
    def initialize_upload(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        if request.arg("action") != "initializeUpload":
            return li_error("bad_request", detail="Unsupported action")
        body = request.json if isinstance(request.json, dict) else {}
        owner = (body.get("initializeUploadRequest") or {}).get("owner", "")
        if not self._may_post_as(token, owner):
            return li_error("access_denied", resource="images.CREATE")
        now = self.now()
        key = random_key(16)
        image = LiImage(
            urn=f"urn:li:image:D4E10AQ{key}",
            owner=owner,
            created=now,
            upload_expires_at=now + self.config.upload_url_ttl,
        )
        self.images[key] = image
        return json_response(
            {
                "value": {
                    "uploadUrlExpiresAt": ms(image.upload_expires_at),
                    "uploadUrl": f"{self.url}/dms-uploads/{key}?ca=vector_feedshare&cn=uploads",
                    "image": image.urn,
                }
            }
        )

    def upload_image(self: FakeLinkedIn, request: FakeRequest) -> FakeResponse:
        token = self.authenticate(request)
        if isinstance(token, FakeResponse):
            return token
        image = self.images.get(request.params["key"])
        if (
            image is None
            or image.status != "WAITING_UPLOAD"
            or self.now() > image.upload_expires_at
        ):
            return li_error("bad_request", detail="Upload URL is invalid or expired")
        image.data = request.body
        facts = inspect_image(request.body)
        if (
            facts is None
            or facts.format not in self.config.image_formats
            or facts.width * facts.height > self.config.image_max_pixels
            or facts.size > self.config.image_max_bytes
        ):
            image.status = "PROCESSING_FAILED"
        else:
            image.status, image.width, image.height = "PROCESSING", facts.width, facts.height
            image.polls_left = self.config.image_processing_polls
        return FakeResponse(201, b"", content_type="text/plain")

    def _image_by_urn(self: FakeLinkedIn, urn: str) -> LiImage | None:
        return self.images.get(urn.removeprefix("urn:li:image:D4E10AQ"))

    def get_image(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        image = self._image_by_urn(decoded(request.params["urn"]))
        if image is None:
            return li_error("not_found", detail="image")
        if image.status == "PROCESSING":
            if image.polls_left > 0:
                image.polls_left -= 1
            else:
                image.status = "AVAILABLE"
        body: dict[str, Any] = {"owner": image.owner, "status": image.status, "id": image.urn}
        if image.status == "AVAILABLE":
            body["downloadUrlExpiresAt"] = ms(self.now() + 3600)
            body["downloadUrl"] = f"{self.url}/dms/image/{image.urn.rsplit(':', 1)[-1]}"
        return json_response(body)

    # -- posts -----------------------------------------------------------------
    def create_post(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        body = request.json if isinstance(request.json, dict) else None
        if body is None:
            return li_error("bad_request", detail="Request body must be JSON")
        author = body.get("author", "")
        if not self._may_post_as(token, author):
            version = request.header("linkedin-version")
            return li_error("access_denied", resource=f"partnerApiPostsExternal.CREATE.{version}")
        problem = self._validate_post(body)
        if problem:
            return problem
        commentary = body.get("commentary", "")
        duplicate = self._duplicate_of(author, commentary, body.get("content"))
        if duplicate:
            return li_error("duplicate", urn=duplicate.urn)
        number = self.new_number(7_300_000_000_000_000_000)
        post = LiPost(
            urn=f"urn:li:{self.config.post_urn_kind}:{number}",
            author=author,
            commentary=commentary,
            created=self.now(),
            body=json.loads(json.dumps(body)),
        )
        self.posts[post.urn] = post
        return FakeResponse(
            201, b"", headers={"x-restli-id": post.urn}, content_type="application/json"
        )

    def _validate_post(self: FakeLinkedIn, body: dict[str, Any]) -> FakeResponse | None:
        for name in ("visibility", "distribution", "lifecycleState"):
            if name not in body:
                return li_error(
                    "unprocessable",
                    detail=f"/{name} :: field is required but not found and has no default value",
                )
        if body["visibility"] not in VISIBILITIES:
            return li_error(
                "unprocessable",
                detail=f'/visibility :: "{body["visibility"]}" is not an enum symbol',
            )
        if (
            len(str(body.get("commentary", "")).encode("utf-16-le")) // 2
            > self.config.commentary_max
        ):
            return li_error(
                "unprocessable",
                detail=f"/commentary :: length exceeds {self.config.commentary_max}",
            )
        content = body.get("content") or {}
        images: list[dict[str, Any]] = []
        if "media" in content:
            images = [content["media"]]
        elif "multiImage" in content:
            images = list((content["multiImage"] or {}).get("images", []))
            if not self.config.multi_image_min <= len(images) <= self.config.multi_image_max:
                return li_error(
                    "unprocessable",
                    detail="/content/multiImage/images :: must hold "
                    f"{self.config.multi_image_min} to {self.config.multi_image_max} images",
                )
        for item in images:
            image = self._image_by_urn(str(item.get("id", "")))
            if image is None or image.owner != body.get("author"):
                return li_error(
                    "unprocessable",
                    detail=f"Image {item.get('id')} does not exist or belongs to another owner",
                )
            if image.status != "AVAILABLE":
                return li_error(
                    "unprocessable", detail=f"Image {image.urn} is not AVAILABLE ({image.status})"
                )
        return None

    def _duplicate_of(
        self: FakeLinkedIn, author: str, commentary: str, content: Any
    ) -> LiPost | None:
        window = self.config.duplicate_window
        for post in self.posts.values():
            if post.deleted or post.author != author or post.commentary != commentary:
                continue
            if post.body.get("content") != content:
                continue
            if window is None or self.now() - post.created <= window:
                return post
        return None

    def serialize_post(self: FakeLinkedIn, post: LiPost) -> dict[str, Any]:
        created = ms(post.created)
        return {
            **post.body,
            "id": post.urn,
            "createdAt": created,
            "lastModifiedAt": created,
            "publishedAt": created,
            "isReshareDisabledByAuthor": post.body.get("isReshareDisabledByAuthor", False),
            "lifecycleStateInfo": {"isEditedByAuthor": False},
        }

    def get_post(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        post = self.posts.get(decoded(request.params["urn"]))
        if post is None or post.deleted:
            return li_error("not_found", detail="post")
        return json_response(self.serialize_post(post))

    def find_posts(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        if request.arg("q") != "author":
            return li_error("bad_request", detail="Invalid finder: q must be author")
        author = decoded(request.arg("author") or "")
        if self._role(token, author) is None:
            return li_error("access_denied", resource="partnerApiPostsExternal.FINDER-author")
        posts = [p for p in self.posts.values() if p.author == author and not p.deleted]
        posts.sort(key=lambda p: p.created, reverse=True)
        start = int(request.arg("start", 0))
        count = min(int(request.arg("count", 10)), 100)
        page = posts[start : start + count]
        links = []
        if start + count < len(posts):
            links.append(
                {
                    "type": "application/json",
                    "rel": "next",
                    "href": f"/rest/posts?author={author}&q=author"
                    f"&start={start + count}&count={count}",
                }
            )
        return json_response(
            {
                "paging": {"start": start, "count": count, "links": links, "total": len(posts)},
                "elements": [self.serialize_post(p) for p in page],
            }
        )

    def delete_post(self: FakeLinkedIn, request: FakeRequest, token: LiToken) -> FakeResponse:
        post = self.posts.get(decoded(request.params["urn"]))
        if post is None or post.deleted:
            return li_error("not_found", detail="post")
        if not self._may_post_as(token, post.author):
            return li_error("access_denied", resource="partnerApiPostsExternal.DELETE")
        post.deleted = True
        return FakeResponse(204, b"", content_type="application/json")
