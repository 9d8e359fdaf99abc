"""The one rule for a file the user chose to write: reports, exports, bundles, the annual
return, cards and keys, a bundle's members. Every writer of such a file goes through here.

Refused, with a sentence naming the path the user gave:
- anything inside the profile folder (symbolic links and other names of it resolved): a
  report written over store.db or profile.key would leave a profile that never opens again;
- a device node, pipe, socket or folder: only an ordinary file or a new name is written
  (the atomic rename would otherwise swap /dev/null for a file of case data);
- a folder that does not exist;
- an existing file unless the caller says the person agreed to replace it (`--force` on the
  command line, a confirmation in the app). Without that agreement the file is placed only
  if the name is still free at the moment of writing (atomic_file's replace=False).

No Qt and nothing above this module: services, the command line and the app all use it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from aim3desk.atomic_file import reason_for, write_bytes_atomically


class OutputRefused(Exception):  # noqa: N818 - reads as what happened
    """The chosen path will not be written; str() is a sentence for a person naming it."""

    def __init__(self, message: str, path: Path):
        super().__init__(message)
        self.path = path


class OutputExists(OutputRefused):
    """The chosen file already exists and replacing it was not agreed. The command line
    adds how to agree (--force); the app asks before it writes."""


def _same_folder(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _inside(folder: Path, protected: Path) -> bool:
    """Whether `folder` (an existing folder) is `protected` or lies inside it, compared by
    identity on disk so case-insensitive names, links and '..' cannot hide it."""
    try:
        guarded = os.stat(protected)
    except OSError:
        return False  # no profile folder there: nothing to protect
    resolved = Path(os.path.realpath(folder))
    for candidate in (resolved, *resolved.parents):
        try:
            if _same_folder(os.stat(candidate), guarded):
                return True
        except OSError:
            continue
    return False


def _refuse_profile_folder(path: Path, folder: Path, protected: Path | None) -> None:
    if protected is None:
        return
    target = Path(os.path.realpath(path))  # where a symbolic link at `path` points
    if _inside(folder, protected) or (target.parent.is_dir() and _inside(target.parent, protected)):
        raise OutputRefused(
            f"{path} is inside the profile folder ({protected}), which holds your encrypted "
            "records; nothing was written. Choose a place outside it.",
            path,
        )


def check_output_folder(folder: Path, protected: Path | None) -> Path:
    """An existing folder, outside the profile folder, to write new files into."""
    folder = _existing_folder(Path(folder))
    _refuse_profile_folder(folder, folder, protected)
    return folder


def _existing_folder(folder: Path) -> Path:
    if not folder.exists():
        raise OutputRefused(
            f"The folder {folder} does not exist; nothing was written. Create it or choose "
            "another folder.",
            folder,
        )
    if not folder.is_dir():
        raise OutputRefused(f"{folder} is not a folder; nothing was written.", folder)
    return folder


def make_output_folder(folder: Path, protected: Path | None) -> Path:
    """`folder`, made (mode 0700) with any missing parents if need be, after checking that
    neither it nor the nearest folder that exists lies inside the profile folder."""
    folder = Path(folder)
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and existing.is_dir():
        _refuse_profile_folder(folder, existing, protected)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        pass  # not a folder: said below
    except OSError as exc:
        raise OutputRefused(
            f"The folder {folder} could not be made ({reason_for(exc)}); nothing was written.",
            folder,
        ) from None
    return check_output_folder(folder, protected)


def check_output_file(path: Path, protected: Path | None, *, replace: bool) -> Path:
    """`path` if it may be written: a new name, or (with `replace`) an ordinary file, in an
    existing folder outside the profile folder; OutputRefused (OutputExists) otherwise."""
    path = Path(path)
    _refuse_profile_folder(path, _existing_folder(path.parent), protected)
    if not os.path.lexists(path):
        return path
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = stat.S_IFREG  # a link to nowhere: replacing it replaces only the link
    if stat.S_ISDIR(mode):
        raise OutputRefused(f"{path} is a folder; nothing was written. Give a file name.", path)
    if not stat.S_ISREG(mode):
        raise OutputRefused(
            f"{path} is not an ordinary file (it is a device, a pipe or a socket); nothing "
            "was written. Choose a file name.",
            path,
        )
    if not replace:
        raise OutputExists(f"{path} already exists and was left as it was.", path)
    return path


def write_output(path: Path, data: bytes, protected: Path | None, *, replace: bool) -> Path:
    """Check `path` by the rule above and write `data` there atomically (mode 0600)."""
    check_output_file(path, protected, replace=replace)
    try:
        return write_bytes_atomically(Path(path), data, replace=replace)
    except FileExistsError:
        # The name was taken between the check and the write: still never replaced.
        raise OutputExists(f"{path} already exists and was left as it was.", Path(path)) from None


@dataclass(frozen=True)
class OutputTarget:
    """How a writer may treat the path it was given: never inside `protected` (the profile
    folder); an existing file is replaced only with `replace` (the person agreed)."""

    protected: Path | None = None
    replace: bool = False

    def check(self, path: Path) -> Path:
        return check_output_file(path, self.protected, replace=self.replace)

    def write(self, path: Path, data: bytes) -> Path:
        return write_output(path, data, self.protected, replace=self.replace)
