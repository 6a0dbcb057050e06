"""RFC 5322 messages in, plain facts out: sender, subject, text, sanitized HTML, attachments,
thread references and whether the message was sent by a machine.

Real mail is messy. Every header and part is read defensively: an unknown charset, a broken
encoded word, a missing header or a malformed MIME tree degrades to the best readable text,
never to an exception. Only a message with nothing recognisable at all is refused
(:class:`Unparseable`), so the caller can quarantine it.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

import nh3

_ABSENT = object()


class _ReadMessage(EmailMessage):
    """A parsed message that parses each header once: the modern policy builds a header
    object on every ``get`` (the content type alone is read a dozen times per message), which
    was a third of the parse time. Any change to the headers forgets what was read."""

    def get(self, name, failobj=None):
        cache = self.__dict__.setdefault("_read_headers", {})
        key = name.lower()
        value = cache.get(key, _ABSENT)
        if value is _ABSENT:
            value = cache[key] = super().get(name, _ABSENT)
        return failobj if value is _ABSENT else value

    def _forget(self) -> None:
        self.__dict__.pop("_read_headers", None)

    def set_raw(self, name, value):
        self._forget()
        super().set_raw(name, value)

    def __setitem__(self, name, value):
        self._forget()
        super().__setitem__(name, value)

    def __delitem__(self, name):
        self._forget()
        super().__delitem__(name)

    def replace_header(self, _name, _value):
        self._forget()
        super().replace_header(_name, _value)

    def add_header(self, _name, _value, **_params):
        self._forget()
        super().add_header(_name, _value, **_params)

    def set_param(self, *args, **kwargs):
        self._forget()
        super().set_param(*args, **kwargs)

    def del_param(self, *args, **kwargs):
        self._forget()
        super().del_param(*args, **kwargs)

    def set_type(self, *args, **kwargs):
        self._forget()
        super().set_type(*args, **kwargs)


_READ_POLICY = policy.default.clone(message_factory=_ReadMessage)


class Unparseable(Exception):
    """The bytes are not an e-mail message we can make anything of."""


# Labels real mailers put in headers that Python does not know, mapped to what they mean.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "x-mac-roman": "mac_roman",
    "unicode-1-1-utf-7": "utf-7",
    "ansi_x3.4-1968": "ascii",
    "us-ascii": "cp1252",  # "us-ascii" mail with 8-bit bytes is nearly always Windows-1252
}


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    is_inline: bool = False
    content_id: str = ""


@dataclass
class ParsedMail:
    message_id: str
    content_hash: str
    sender_address: str
    sender_name: str
    to: list[str]
    cc: list[str]
    subject: str
    text: str
    html: str
    attachments: list[ParsedAttachment] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    automatic: str = ""  # why a machine sent it (RFC 3834/3464), or ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def external_id(self) -> str:
        """The key a message is stored once by: its Message-ID, else a hash of its bytes."""
        if self.message_id and len(self.message_id) <= 250:
            return self.message_id
        return "sha256:" + self.content_hash

    @property
    def thread_ids(self) -> list[str]:
        return [*self.in_reply_to, *reversed(self.references)]


def codec_for(charset: str | None) -> str | None:
    if not charset:
        return None
    name = charset.strip().strip('"').lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes as text: the declared charset if it decodes, else UTF-8, else Windows-1252."""
    declared = codec_for(charset)
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            if data.isascii():  # a 7-bit charset (ISO-2022-JP) with a bad sequence
                return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared.replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        return data.decode("utf-8", errors="replace")
    if declared and declared not in ("cp1252", "ascii", "latin_1", "iso8859-1"):
        return data.decode(declared, errors="replace")
    return data.decode("cp1252", errors="replace")


_SURROGATES = re.compile("[\udc80-\udcff]")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _undo_surrogates(text: str, charset: str | None = None) -> str:
    """Undo the stand-ins Python's parser puts for raw 8-bit bytes in headers."""
    if not _SURROGATES.search(text):
        return text
    return decode_bytes(text.encode("utf-8", "surrogateescape"), charset)


def decode_header_text(raw: str, charset: str | None = None) -> str:
    """A header's raw value (encoded words, 8-bit bytes, folding) as readable text; raw 8-bit
    bytes are read in ``charset`` (the message's own) when they are not UTF-8."""
    raw = re.sub(r"\r?\n[ \t]+", " ", _undo_surrogates(raw, charset))
    try:
        text = str(make_header(decode_header(raw)))
    except Exception:  # unknown charset or broken encoded word: decode word by word
        try:
            parts = decode_header(raw)
        except Exception:
            return raw.strip()
        text = "".join(
            chunk if isinstance(chunk, str) else decode_bytes(chunk, charset)
            for chunk, charset in parts
        )
    return _undo_surrogates(text).replace("\x00", "").strip()


def _raw_header(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return None


def header_text(message: Message, name: str) -> str:
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    return decode_header_text(raw, _body_charset(message))


def _body_charset(message: Message) -> str | None:
    """The first charset the message declares: what unlabelled 8-bit headers are written in."""
    try:
        for part in message.walk():
            charset = part.get_content_charset()
            if charset:
                return charset
    except Exception:
        return None
    return None


def _addresses(message: Message, name: str) -> list[tuple[str, str]]:
    raw = _raw_header(message, name)
    if not raw:
        return []
    try:
        pairs = getaddresses([decode_header_text(raw, _body_charset(message))])
    except Exception:
        return []
    return [(display.strip(), address.strip()) for display, address in pairs if "@" in address]


def _bare_sender(message: Message) -> tuple[str, str]:
    """A From without a domain (``MAILER-DAEMON (Mail Delivery System)``)."""
    name, address = parseaddr(header_text(message, "From"))
    return name, address.strip()


_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")


def message_ids(value: str) -> list[str]:
    """The ids in a Message-ID, In-Reply-To or References header, without angle brackets."""
    found = _MESSAGE_ID.findall(value or "")
    if not found and value and "@" in value and " " not in value.strip():
        found = [value.strip()]
    return [item[:250] for item in found]


# --- HTML -----------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "table", "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "section", "article", "header", "footer", "hr", "address",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template"}


class _TextMaker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.pre = 0
        self.href: str | None = None
        self.link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")
            if tag == "pre":
                self.pre += 1
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f"[{alt}]")
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
        elif tag == "a" and self.href is not None:
            text = "".join(self.link_text).strip()
            href = self.href
            if (
                href.startswith(("http://", "https://"))
                and text
                and href.rstrip("/")
                not in (
                    text.rstrip("/"),
                    "http://" + text.rstrip("/"),
                    "https://" + text.rstrip("/"),
                )
            ):
                self.parts.append(f" ({href})")
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f\u200b]+", " ", data)
        if self.href is not None:
            self.link_text.append(data)
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text from HTML: paragraphs and line breaks kept, markup and scripts gone."""
    maker = _TextMaker()
    try:
        maker.feed(html)
        maker.close()
    except Exception:  # HTMLParser is lenient; this is a last resort
        return re.sub(r"<[^>]+>", " ", html)
    return tidy_text("".join(maker.parts))


def tidy_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\x00", "")
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [
        line[1:] if line.startswith(" ") and not line.startswith("  ") else line for line in lines
    ]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n").strip()


def sanitize_html(html: str) -> str:
    """HTML safe to show in the desk: no scripts, handlers, styles or remote-loading tricks."""
    try:
        return nh3.clean(html, link_rel="noopener noreferrer nofollow")
    except Exception:
        return ""


# --- Machines, not people (RFC 3834, RFC 3464) ----------------------------------------------

_BOUNCE_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")


def automatic_reason(message: Message, sender: str) -> str:
    """Why the message was sent by a machine (auto-reply, bounce, bulk mail), or ""."""
    submitted = header_text(message, "Auto-Submitted").split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return "auto_submitted"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Autogenerated"):
        if _raw_header(message, name) is not None:
            return "autoreply"
    if header_text(message, "Precedence").strip().lower() in ("bulk", "junk", "list", "auto_reply"):
        return "precedence"
    if message.get_content_type() == "multipart/report":
        return "bounce"
    if _raw_header(message, "X-Failed-Recipients") is not None:
        return "bounce"
    if sender.split("@")[0].lower() in _BOUNCE_SENDERS:
        return "bounce"
    if header_text(message, "Return-Path").strip() == "<>":
        return "bounce"
    if _raw_header(message, "X-Tierdesk-Notification") is not None:
        return "own_mail"
    return ""


# --- Parts ----------------------------------------------------------------------------------


def _part_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if data is None:
        payload = part.get_payload()
        if isinstance(payload, str):
            return payload.encode("utf-8", "surrogateescape")
        return b""
    return data


def _part_text(part: Message) -> str:
    return decode_bytes(_part_bytes(part), part.get_content_charset())


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if name is None:
        raw = part.get_param("name", header="content-type")
        if isinstance(raw, tuple):
            raw = decode_bytes(str(raw[2]).encode("latin-1", "replace"), raw[0])
        name = raw if isinstance(raw, str) else None
    if not name:
        return ""
    name = decode_header_text(str(name)) if "=?" in str(name) else _undo_surrogates(str(name))
    name = name.replace("\\", "/").split("/")[-1].strip().replace("\x00", "")
    return name[:255]


_EXTENSIONS = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
    "application/pdf": ".pdf", "text/plain": ".txt", "text/html": ".html",
    "message/rfc822": ".eml", "text/calendar": ".ics", "application/pgp-signature": ".asc",
}  # fmt: skip


class _Walker:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.attachments: list[ParsedAttachment] = []

    def attach(self, part: Message, *, inline_ok: bool = True) -> None:
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            content = inner.as_bytes(policy=policy.compat32) if inner is not None else b""
            if not content:
                content = _part_bytes(part)
        else:
            content = _part_bytes(part)
        filename = _filename(part)
        content_id = (header_text(part, "Content-ID") or "").strip().strip("<>")[:255]
        if not filename:
            if content_type == "message/rfc822" and inner is not None:
                filename = (header_text(inner, "Subject") or "message")[:200] + ".eml"
            else:
                stem = "image" if content_type.startswith("image/") else "attachment"
                filename = stem + _EXTENSIONS.get(content_type, ".bin")
        self.attachments.append(
            ParsedAttachment(
                filename=filename,
                content_type=content_type[:255],
                content=content,
                is_inline=inline_ok
                and bool(content_id)
                and part.get_content_disposition() != "attachment",
                content_id=content_id,
            )
        )

    def walk(self, part: Message) -> None:
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            self.attach(part)
            return
        if content_type == "message/delivery-status":
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else []
            content = b"\n".join(bytes(block) for block in blocks if isinstance(block, Message))
            self.attachments.append(
                ParsedAttachment("delivery-status.txt", "message/delivery-status", content)
            )
            return
        if part.is_multipart():
            children = [child for child in part.get_payload() if isinstance(child, Message)]
            if content_type == "multipart/alternative":
                self.alternative(children)
            else:
                for child in children:
                    self.walk(child)
            return
        if content_type == "message/rfc822" or part.get_content_disposition() == "attachment":
            self.attach(part)
            return
        if content_type in ("text/plain", "text/html", "text/enriched") and not _filename(part):
            text = _part_text(part)
            if content_type == "text/html":
                self.htmls.append(text)
                self.texts.append(html_to_text(text))
            else:
                self.texts.append(text)
            return
        self.attach(part)

    def alternative(self, children: list[Message]) -> None:
        """Prefer the plain version for text, keep the HTML version as HTML; parts of a
        multipart/related inside (inline images) are attachments."""
        plain = [c for c in children if c.get_content_type() == "text/plain"]
        richer = [c for c in children if c.get_content_type() != "text/plain"]
        html_walker = _Walker()
        for child in richer:
            html_walker.walk(child)
        plain_text = "\n".join(_part_text(c) for c in plain if not _filename(c)).strip()
        if plain_text:
            self.texts.append(plain_text)
        else:
            self.texts.extend(html_walker.texts)
        self.htmls.extend(html_walker.htmls)
        self.attachments.extend(html_walker.attachments)
        for child in plain:
            if _filename(child):
                self.attach(child)


_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")


def _skip_leading_junk(raw: bytes) -> bytes:
    """Lines before the first header (a forwarding banner, an mbox ``From `` line) dropped."""
    lines = raw.split(b"\n", 40)
    for index, line in enumerate(lines[:40]):
        if _HEADER_LINE.match(line):
            return raw if index == 0 else b"\n".join(lines[index:])
    return raw


def parse_message(raw: bytes) -> ParsedMail:
    """Parse one RFC 5322 message. Raises :class:`Unparseable` only when nothing is usable."""
    if not raw or not raw.strip():
        raise Unparseable("empty message")
    content_hash = hashlib.sha256(raw).hexdigest()
    raw = _skip_leading_junk(raw)
    try:
        message = message_from_bytes(raw, policy=_READ_POLICY)
    except Exception as error:  # the parser is lenient; this is the corner it gives up in
        raise Unparseable(f"the MIME structure cannot be read: {error}") from error
    if not any(True for _ in message.raw_items()):
        raise Unparseable("no headers")

    senders = (
        _addresses(message, "From")
        or _addresses(message, "Sender")
        or _addresses(message, "Reply-To")
    )
    if not senders and _bare_sender(message)[1]:
        senders = [_bare_sender(message)]
    if not senders:
        reply_path = parseaddr(header_text(message, "Return-Path"))[1]
        if "@" in reply_path:
            senders = [("", reply_path)]
    sender_name, sender_address = senders[0] if senders else ("", "")
    if not sender_address:
        raise Unparseable("no sender address (From)")

    walker = _Walker()
    try:
        walker.walk(message)
    except Exception as error:
        raise Unparseable(f"the MIME parts cannot be read: {error}") from error
    text = tidy_text("\n\n".join(t for t in walker.texts if t.strip()))
    html = sanitize_html("\n".join(walker.htmls)) if walker.htmls else ""

    def ids(name: str) -> list[str]:
        return message_ids(header_text(message, name))

    own_ids = ids("Message-ID")
    return ParsedMail(
        message_id=own_ids[0] if own_ids else "",
        content_hash=content_hash,
        sender_address=sender_address.lower()[:320],
        sender_name=sender_name[:150],
        to=[address for _name, address in _addresses(message, "To")],
        cc=[address for _name, address in _addresses(message, "Cc")],
        subject=re.sub(r"\s+", " ", header_text(message, "Subject")).strip(),
        text=text,
        html=html,
        attachments=walker.attachments,
        in_reply_to=ids("In-Reply-To"),
        references=ids("References"),
        automatic=automatic_reason(message, sender_address),
    )


# --- What the customer wrote, without what they quoted ----------------------------------------

_REPLY_HEADERS = [
    # Gmail, Apple Mail, Thunderbird: "On <date>, <person> wrote:" (may wrap onto two lines).
    re.compile(r"^\s*On\b.{0,300}\bwrote:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^\s*Pada\b.{0,300}\bmenulis:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^\s*Am\b.{0,300}\bschrieb.{0,80}:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^\s*Le\b.{0,300}\ba écrit\s*:\s*$", re.IGNORECASE | re.DOTALL),
    # Outlook and friends.
    re.compile(
        r"^\s*-{2,}\s*(Original Message|Pesan Asli|Ursprüngliche Nachricht)\s*-{2,}\s*$",
        re.IGNORECASE,
    ),
    re.compile(r"^\s*_{20,}\s*$"),
]  # fmt: skip
_OUTLOOK_FIELD = re.compile(r"^\s*\*?(From|Dari|Von|De)\s*:\*?\s", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(
    r"^\s*\*?(Sent|Date|Dikirim|Tanggal|Gesendet|Envoyé|To|Kepada|Subject|Subjek|Perihal)\s*:",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^\s*(-- ?|Sent from my \w+.*|Dikirim dari \w+.*|Get Outlook for \w+.*|Kirim dari \w+.*)$",
    re.IGNORECASE,
)


def trim_reply(text: str) -> str:
    """The new part of a reply: quoted history, reply headers and the signature cut off.
    Returns the whole text if cutting would leave nothing."""
    lines = text.split("\n")
    cut = len(lines)
    for index, line in enumerate(lines):
        if _SIGNATURE.match(line) and line.strip() not in ("--",):
            cut = index
            break
        pair = line + " " + lines[index + 1] if index + 1 < len(lines) else line
        wrapped = re.match(r"^\s*(On|Pada|Am|Le)\b", line) and any(
            pattern.match(pair) for pattern in _REPLY_HEADERS[:4]
        )
        if wrapped or any(pattern.match(line) for pattern in _REPLY_HEADERS):
            cut = index
            break
        if _OUTLOOK_FIELD.match(line) and any(
            _OUTLOOK_NEXT.match(following) for following in lines[index + 1 : index + 4]
        ):
            cut = index
            break
    kept = lines[:cut]
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    result = "\n".join(kept).strip()
    return result or text.strip()


def trim_signature(text: str) -> str:
    """A new message without its signature (the part after a ``-- `` line)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line in ("-- ", "--") and index > 0:
            kept = "\n".join(lines[:index]).strip()
            return kept or text.strip()
    return text.strip()
