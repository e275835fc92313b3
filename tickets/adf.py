"""Markdown to Atlassian Document Format, and a check of the ADF we emit.

Jira Cloud's v3 API takes rich text only as ADF, a JSON tree of nodes
(https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/). The
ticket is rendered once as markdown (``tickets/render.py``); here markdown-it-py parses
it and the syntax tree is mapped node by node, so the JSON is built as data, never by
formatting strings. Only the subset our templates use is mapped; anything else becomes
plain text rather than a node Jira would refuse.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

__all__ = ["adf_problems", "markdown_to_adf"]

Node = dict[str, Any]

_MD = MarkdownIt("commonmark")
_BLOCKS = {"paragraph", "heading", "bulletList", "orderedList", "codeBlock", "rule", "blockquote"}
_IN_ITEM = {"paragraph", "bulletList", "orderedList", "codeBlock"}
_INLINE = {"text", "hardBreak"}
_MARKS = {"strong", "em", "code", "link"}
_KEYS = {"type", "content", "attrs", "marks", "text", "version"}


def markdown_to_adf(markdown: str) -> Node:
    """An ADF ``doc`` (version 1) for ``markdown``.

    >>> doc = markdown_to_adf("## Risk\\n\\nPublic **and** `admin`")
    >>> [n["type"] for n in doc["content"]], doc["content"][0]["attrs"]
    (['heading', 'paragraph'], {'level': 2})
    >>> doc["content"][1]["content"][1]
    {'type': 'text', 'text': 'and', 'marks': [{'type': 'strong'}]}
    """
    tree = SyntaxTreeNode(_MD.parse(markdown))
    content = [block for child in tree.children for block in _block(child)]
    return {"version": 1, "type": "doc", "content": content}


def _block(node: SyntaxTreeNode) -> list[Node]:
    kind = node.type
    if kind == "heading":
        level = int(node.tag[1])
        return [_with_content({"type": "heading", "attrs": {"level": level}}, _inline(node))]
    if kind == "paragraph":
        return [_with_content({"type": "paragraph"}, _inline(node))]
    if kind in ("bullet_list", "ordered_list"):
        items = [_list_item(item) for item in node.children]
        name = "bulletList" if kind == "bullet_list" else "orderedList"
        return [{"type": name, "content": items}] if items else []
    if kind in ("fence", "code_block"):
        language = (node.info or "").strip().split(" ")[0] or "text"
        code = node.content.rstrip("\n")
        block: Node = {"type": "codeBlock", "attrs": {"language": language}}
        return [_with_content(block, [{"type": "text", "text": code}] if code else [])]
    if kind == "hr":
        return [{"type": "rule"}]
    if kind == "blockquote":
        inner = [b for child in node.children for b in _block(child)]
        return [{"type": "blockquote", "content": inner}] if inner else []
    text = node.content.strip()
    return [_with_content({"type": "paragraph"}, _text(text, []))] if text else []


def _list_item(node: SyntaxTreeNode) -> Node:
    content = [b for child in node.children for b in _block(child) if b["type"] in _IN_ITEM]
    return {"type": "listItem", "content": content or [{"type": "paragraph"}]}


def _inline(node: SyntaxTreeNode) -> list[Node]:
    out: list[Node] = []
    for child in node.children:
        out.extend(_inline_nodes(child, []))
    return out


def _inline_nodes(node: SyntaxTreeNode, marks: list[Node]) -> list[Node]:
    kind = node.type
    if kind == "inline":
        return [n for child in node.children for n in _inline_nodes(child, marks)]
    if kind == "text":
        return _text(node.content, marks)
    if kind == "code_inline":
        # ADF: the code mark combines with link only
        kept = [m for m in marks if m["type"] == "link"]
        return _text(node.content, [*kept, {"type": "code"}])
    if kind == "softbreak":
        return _text(" ", marks)
    if kind == "hardbreak":
        return [{"type": "hardBreak"}]
    mark = _mark(node)
    inner = [*marks, mark] if mark else marks
    return [n for child in node.children for n in _inline_nodes(child, inner)]


def _mark(node: SyntaxTreeNode) -> Node | None:
    if node.type == "strong":
        return {"type": "strong"}
    if node.type == "em":
        return {"type": "em"}
    if node.type == "link":
        return {"type": "link", "attrs": {"href": str(node.attrs.get("href", ""))}}
    return None


def _text(text: str, marks: list[Node]) -> list[Node]:
    if not text:
        return []
    node: Node = {"type": "text", "text": text}
    if marks:
        node["marks"] = [dict(m) for m in marks]
    return [node]


def _with_content(node: Node, content: list[Node]) -> Node:
    if content:
        node["content"] = content
    return node


def adf_problems(doc: Any) -> list[str]:
    """Where ``doc`` breaks the ADF rules we rely on; empty when it is valid.

    Checked: the ``doc`` root at version 1, block and inline node types and where they
    may appear, heading levels, non-empty text, allowed marks (``code`` only with
    ``link``; none inside a ``codeBlock``), and no unknown keys.

    >>> adf_problems({"version": 1, "type": "doc", "content": [{"type": "text"}]})
    ['content[0]: text is not allowed in doc']
    """
    if not isinstance(doc, dict) or doc.get("type") != "doc":
        return ["root: not a doc node"]
    problems = [] if doc.get("version") == 1 else ["root: version must be 1"]
    problems += _children(doc, _BLOCKS, "content", "doc")
    return problems


def _children(node: Node, allowed: set[str], where: str, parent: str) -> list[str]:
    content = node.get("content", [])
    if not isinstance(content, list):
        return [f"{where}: content must be a list"]
    problems = []
    for index, child in enumerate(content):
        path = f"{where}[{index}]"
        kind = child.get("type") if isinstance(child, dict) else None
        if kind not in allowed:
            problems.append(f"{path}: {kind} is not allowed in {parent}")
            continue
        problems += _node(child, path)
    return problems


def _node(node: Node, path: str) -> list[str]:
    kind = node["type"]
    problems = [f"{path}: unknown key {k}" for k in node if k not in _KEYS]
    if kind == "heading" and node.get("attrs", {}).get("level") not in range(1, 7):
        problems.append(f"{path}: heading level must be 1-6")
    if kind in ("bulletList", "orderedList"):
        if not node.get("content"):
            problems.append(f"{path}: a list needs at least one listItem")
        return problems + _children(node, {"listItem"}, f"{path}.content", kind)
    if kind == "listItem":
        if not node.get("content"):
            problems.append(f"{path}: a listItem needs content")
        return problems + _children(node, _IN_ITEM, f"{path}.content", kind)
    if kind == "blockquote":
        return problems + _children(node, {"paragraph", "bulletList", "orderedList"}, path, kind)
    if kind in ("paragraph", "heading"):
        return problems + _children(node, _INLINE, f"{path}.content", kind)
    if kind == "codeBlock":
        problems += _children(node, {"text"}, f"{path}.content", kind)
        if any("marks" in c for c in node.get("content", [])):
            problems.append(f"{path}: text in a codeBlock takes no marks")
        return problems
    if kind == "text":
        problems += _text_problems(node, path)
    return problems


def _text_problems(node: Node, path: str) -> list[str]:
    problems = []
    if not isinstance(node.get("text"), str) or not node["text"]:
        problems.append(f"{path}: text must be a non-empty string")
    marks = [m.get("type") for m in node.get("marks", [])]
    problems += [f"{path}: unknown mark {m}" for m in marks if m not in _MARKS]
    if "code" in marks and set(marks) - {"code", "link"}:
        problems.append(f"{path}: the code mark combines with link only")
    for mark in node.get("marks", []):
        if mark.get("type") == "link" and not mark.get("attrs", {}).get("href"):
            problems.append(f"{path}: a link mark needs attrs.href")
    return problems
