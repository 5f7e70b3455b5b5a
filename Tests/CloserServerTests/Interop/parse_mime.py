#!/usr/bin/python3
"""Parse an RFC 5322 message with Python's email package and print what it decoded as JSON.

A second, independent MIME implementation to check the Swift composer against: if Python's
parser reads back the subject, addresses and both body parts exactly, and records no defects,
the message is well-formed for more than our own decoder.

Usage: parse_mime.py < message.eml

Output keys: subject, from, to, replyTo, messageId, date (decoded header strings, null when
absent), addresses (each address header as [[display name, addr-spec], ...]), text and html
(decoded part contents, null when absent), contentTypes (every part, in walk order), defects
(every defect of every part and header, as "where: DefectClass: detail").

smtp_sink.py imports parse_message() from here, so both report the same JSON.
"""

import email.parser
import email.policy
import json
import sys

_ADDRESS_HEADERS = {"from": "From", "to": "To", "replyTo": "Reply-To"}


def _header(message, name):
    value = message.get(name)
    return None if value is None else str(value)


def _addresses(message, name):
    header = message.get(name)
    if header is None or not hasattr(header, "addresses"):
        return None
    return [[address.display_name, address.addr_spec] for address in header.addresses]


def _defects(message):
    found = []
    for index, part in enumerate(message.walk()):
        where = f"part {index} ({part.get_content_type()})"
        for defect in part.defects:
            found.append(f"{where}: {type(defect).__name__}: {defect}")
        for name, value in part.items():
            for defect in getattr(value, "defects", ()):
                found.append(f"{where} {name}: {type(defect).__name__}: {defect}")
    return found


def _first_text(message, subtype):
    for part in message.walk():
        if part.get_content_maintype() == "text" and part.get_content_subtype() == subtype:
            return part.get_content()
    return None


def parse_message(raw):
    """Decode raw message bytes into the JSON-ready dict described in the module docstring."""
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
    result = {key: _header(message, name) for key, name in _ADDRESS_HEADERS.items()}
    result.update(
        subject=_header(message, "Subject"),
        messageId=_header(message, "Message-ID"),
        date=_header(message, "Date"),
        addresses={key: _addresses(message, name) for key, name in _ADDRESS_HEADERS.items()},
        text=_first_text(message, "plain"),
        html=_first_text(message, "html"),
        contentTypes=[part.get_content_type() for part in message.walk()],
        defects=_defects(message),
    )
    return result


def main():
    json.dump(parse_message(sys.stdin.buffer.read()), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
