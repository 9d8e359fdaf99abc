"""Spell checking for long text fields, with pyenchant (Enchant 2 + Hunspell dictionaries).

British English first (hunspell-en-gb), then American English; if Enchant or both
dictionaries are missing, spell checking switches itself off and the fields work as before.
Words added with "Add to dictionary" are kept in memory for this session only: a personal word
list would have to live inside the encrypted profile (case names are words too), which is not
built yet, so nothing about them ever reaches disk.
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit
from shiboken6 import isValid

log = logging.getLogger(__name__)

LANGUAGES = ("en_GB", "en_US")
MAX_SUGGESTIONS = 6
# Words: letters with inner apostrophes or hyphens. Digits, initials and ALL-CAPS
# abbreviations (CSC, YOS) are never flagged.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CACHE_LIMIT = 50_000


class SpellChecker:
    """One Enchant dictionary for the process and the words added this session."""

    def __init__(self, dictionary: Any, language: str) -> None:
        self._dictionary = dictionary
        self.language = language
        self._session_words: set[str] = set()
        self._cache: dict[str, bool] = {}

    def is_correct(self, word: str) -> bool:
        if len(word) < 2 or word.isupper() or word in self._session_words:
            return True
        known = self._cache.get(word)
        if known is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            known = bool(self._dictionary.check(word.replace("’", "'")))
            self._cache[word] = known
        return known

    def suggestions(self, word: str) -> list[str]:
        return list(self._dictionary.suggest(word.replace("’", "'")))[:MAX_SUGGESTIONS]

    def add_for_session(self, word: str) -> None:
        """Accept the word until AIM3 Desk closes (kept in memory only, never on disk)."""
        self._session_words.add(word)
        for highlighter in list(_highlighters):
            if isValid(highlighter):  # its field may be gone, its wrapper not yet
                highlighter.rehighlight()

    def forget_session_words(self) -> None:
        """Locking: added words can be names from a case."""
        self._session_words.clear()
        self._cache.clear()


_checker: SpellChecker | None = None
_tried = False
_finding = threading.Lock()  # the worker readies the checker while a case opens
_highlighters: weakref.WeakSet[SpellHighlighter] = weakref.WeakSet()


def checker() -> SpellChecker | None:
    """The process's spell checker, or None when Enchant or a dictionary is missing. The
    first call loads the dictionary (opening a case does it on the worker)."""
    global _checker, _tried
    if _tried:
        return _checker
    with _finding:
        if not _tried:
            _checker = _find_checker()
            _tried = True
    return _checker


def _find_checker() -> SpellChecker | None:
    try:
        import enchant  # pyenchant; raises ImportError when libenchant-2 is missing
    except Exception:  # ImportError, OSError from ctypes: spell checking stays off
        log.info("spell checking off: enchant unavailable")
        return None
    for language in LANGUAGES:
        try:
            if enchant.dict_exists(language):
                found = SpellChecker(enchant.Dict(language), language)
                log.info("spell checking with %s", language)
                return found
        except Exception as exc:  # a broken dictionary: try the next, else off
            log.info("dictionary %s unusable: %s", language, type(exc).__name__)
    log.info("spell checking off: no English dictionary")
    return None


def spell_check_status() -> str:
    found = checker()
    return f"on ({found.language}, Enchant)" if found else "off (Enchant or dictionary missing)"


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines misspelt words with a red wavy line."""

    def __init__(self, edit: QPlainTextEdit, spell: SpellChecker) -> None:
        super().__init__(edit.document())
        self._spell = spell
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(QColor("#d32f2f"))
        _highlighters.add(self)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt API
        for match in _WORD.finditer(text):
            if not self._spell.is_correct(match.group()):
                self.setFormat(match.start(), match.end() - match.start(), self._format)


def attach(edit: QPlainTextEdit) -> SpellHighlighter | None:
    """Spell-check `edit` if a dictionary is available."""
    spell = checker()
    return SpellHighlighter(edit, spell) if spell is not None else None


def _word_under(edit: QPlainTextEdit, cursor: QTextCursor) -> tuple[QTextCursor, str] | None:
    block = cursor.block()
    offset = cursor.position() - block.position()
    for match in _WORD.finditer(block.text()):
        if match.start() <= offset <= match.end():
            word_cursor = QTextCursor(block)
            word_cursor.setPosition(block.position() + match.start())
            word_cursor.setPosition(block.position() + match.end(), QTextCursor.MoveMode.KeepAnchor)
            return word_cursor, match.group()
    return None


def add_spelling_actions(edit: QPlainTextEdit, menu: QMenu, cursor: QTextCursor) -> None:
    """Put suggestions and "Add to dictionary" for a misspelt word at the top of `menu`."""
    spell = checker()
    if spell is None or edit.isReadOnly():
        return
    found = _word_under(edit, cursor)
    if found is None or spell.is_correct(found[1]):
        return
    word_cursor, word = found
    first = menu.actions()[0] if menu.actions() else None
    suggestions = spell.suggestions(word)
    if not suggestions:
        none = menu.addAction("No spelling suggestions")
        none.setEnabled(False)
        menu.insertAction(first, none)
    for suggestion in suggestions:
        action = menu.addAction(suggestion)
        action.triggered.connect(lambda _=False, s=suggestion, c=word_cursor: _replace(edit, c, s))
        menu.insertAction(first, action)
    add = menu.addAction(f'Add "{word}" to dictionary (this session)')
    add.setToolTip("Kept in memory until AIM3 Desk closes or locks; never saved to disk.")
    add.triggered.connect(lambda _=False, w=word: spell.add_for_session(w))
    menu.insertAction(first, add)
    menu.insertSeparator(first)


def _replace(edit: QPlainTextEdit, word_cursor: QTextCursor, replacement: str) -> None:
    word_cursor.insertText(replacement)  # textChanged: the bound editor records the change
    edit.setTextCursor(word_cursor)
    edit.setFocus(Qt.FocusReason.OtherFocusReason)
