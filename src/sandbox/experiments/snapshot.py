"""A model's state as data: its object graph in a NumPy ``.npz`` file, read back without pickle.

A stored history (``sandbox.experiments.checkpoint``) is the whole state of a model at
``policy.start``. It is written by walking the object graph from the model, generically,
so that reorganising the model's classes needs no change here. What the graph may hold:

* builtins: ``None``, ``bool``, ``int``, ``float``, ``str``, ``list``, ``tuple``, ``dict``,
  ``set``, ``frozenset`` and ``collections.Counter`` (dictionary keys and set members are
  plain values: numbers, texts, enum members and tuples of them);
* instances of the classes defined in ``sandbox.model``, ``sandbox.config.params`` and
  ``sandbox.regions`` (the allow-list, ``classes``), by their attributes (``__dict__``
  and slots), dataclasses (frozen or with slots) included; enum members by name; bound
  methods of such instances (the month's ``Stages``) by name; those classes and the
  functions defined at the top of those modules themselves, by name;
* NumPy arrays (of booleans, numbers or fixed-width texts) and scalars; NumPy bit generators
  (by their state) and the ``Generator``s drawing from them; ``random.Random`` (by its
  state); ``pandas.PeriodIndex`` (by its ordinals and frequency);
* one ``mesa.Model`` subclass, the root: its own attributes as above. Mesa's part is built
  again by ``mesa.Model.__init__`` and its state set back: the random states, the step
  count and time, the event of the next step; its agents are registered again in their
  order and keep their ids. Mesa state this does not carry (a simulator, other scheduled
  events, signal subscribers, data sets) is refused when writing.

Anything else (a lambda, a Mesa ``AgentSet`` held by the model, a class outside the
allow-list, two arrays sharing memory) is refused when writing (``UnstorableError``), with
where it was found.

The file is an uncompressed ``.npz``. Its member ``state`` is the UTF-8 JSON text of the
graph: ``schema``, ``root``, ``shapes`` (each class with the names of its attributes, once)
and ``objects``, a table in which each object, container and array appears once and is
referred to by its index, so shared objects stay shared and cycles survive. Small arrays
are packed into the member ``packed``; each large one is a member ``a0``, ``a1``, ....
Reading never imports or calls a name found in the file: a class is looked up in the
allow-list, a bit generator among NumPy's, a method among its class's own functions;
arrays are read with ``allow_pickle=False`` and must hold plain data. Anything else raises
``UnreadableError``, naming what is wrong without quoting the file.
"""

from __future__ import annotations

import collections
import enum
import functools
import importlib
import inspect
import json
import math
import operator
import pkgutil
import random
import re
import struct
import types
import zipfile
from typing import IO, Any

import mesa
import numpy as np
import pandas as pd
from mesa.time import EventGenerator, Priority, Schedule

SCHEMA = 1  # of the JSON text; a file of another schema is refused
# whose classes a file may hold
PACKAGES = ("sandbox.model", "sandbox.config.params", "sandbox.regions")
BIT_GENERATORS = {
    cls.__name__: cls
    for cls in (
        np.random.PCG64,
        np.random.PCG64DXSM,
        np.random.Philox,
        np.random.SFC64,
        np.random.MT19937,
    )
}
PLAIN_KINDS = "biufcUS"  # NumPy dtype kinds an array or scalar may have
DTYPE = re.compile(r"[<>|=][biufcUS][0-9]{1,3}")
NAME = re.compile(r"(?!__)[A-Za-z_][A-Za-z0-9_]*")  # an attribute or method name
CLASS = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_.]*")
MEMBER = re.compile(r"(state|packed|a(0|[1-9][0-9]{0,8}))\.npy")
FREQ = re.compile(r"[A-Z]{1,5}(-[A-Z]{3})?")
PACK_BELOW = 1 << 16  # bytes: smaller arrays go into the member ``packed``
ALIGN = 16  # bytes: where each packed array starts
INLINE = frozenset({int, str, bool, type(None)})  # written as JSON as they are
READ_INLINE = frozenset({int, float, str, bool, type(None)})  # read back as they are
_MISSING = object()


class UnreadableError(ValueError):
    """A file that is not a stored state this code can read (the message says why)."""


class UnstorableError(TypeError):
    """The object graph holds something this format does not store (a mistake in the model
    code, named by where it was found)."""


@functools.cache
def _allowed() -> dict[str, type | types.FunctionType]:
    """Every class and function defined at the top of a module of ``PACKAGES``, by
    ``module:qualified name``. The modules are found in the installed package, never
    named by a file."""
    found: dict[str, type | types.FunctionType] = {}
    for name in PACKAGES:
        package = importlib.import_module(name)
        modules = [package]
        for info in pkgutil.walk_packages(package.__path__, f"{name}."):
            modules.append(importlib.import_module(info.name))
        for module in modules:
            for value in vars(module).values():
                if not isinstance(value, type | types.FunctionType):
                    continue
                key = f"{value.__module__}:{value.__qualname__}"
                if value.__module__ == module.__name__ and CLASS.fullmatch(key):
                    found[key] = value
    return found


def classes() -> dict[str, type]:
    """The allow-list of classes (``_allowed``): the only ones a file may name."""
    return {k: v for k, v in _allowed().items() if isinstance(v, type)}


def _class_name(cls: type) -> str | None:
    name = f"{cls.__module__}:{cls.__qualname__}"
    return name if _allowed().get(name) is cls else None


@functools.cache
def _mesa_keys() -> frozenset[str]:
    """The attributes ``mesa.Model.__init__`` sets: Mesa's part of a model."""
    return frozenset(vars(mesa.Model(rng=0)))


def _base(cls: type) -> type:
    """The builtin container an allowed class extends (``object`` when none)."""
    for base in (tuple, list, dict):
        if issubclass(cls, base):
            return base
    return object


@functools.cache
def _slots(cls: type) -> tuple[str, ...]:
    names: list[str] = []
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        for slot in (slots,) if isinstance(slots, str) else slots:
            if slot not in ("__dict__", "__weakref__") and slot not in names:
                names.append(slot)
    return tuple(names)


@functools.cache
def _slot_getter(cls: type) -> Any:
    """For a class whose instances have slots only (no ``__dict__``): a function giving
    every slot's value in ``_slots`` order (None for other classes)."""
    names = _slots(cls)
    if not names or cls.__dictoffset__ != 0 or any(not NAME.fullmatch(n) for n in names):
        return None
    getter = operator.attrgetter(*names)
    return getter if len(names) > 1 else lambda obj: (getter(obj),)


@functools.cache
def _slot_setters(cls: type) -> tuple[Any, ...]:
    """The ``__set__`` of each slot's descriptor, in ``_slots`` order."""
    setters = []
    for name in _slots(cls):
        owner = next(k for k in cls.__mro__ if name in k.__dict__.get("__slots__", ()))
        setters.append(owner.__dict__[name].__set__)
    return tuple(setters)


def _state(obj: object) -> dict[str, Any]:
    """An instance's attributes: its ``__dict__`` and the slots that are set."""
    state = dict(getattr(obj, "__dict__", ()))
    for slot in _slots(type(obj)):
        value = getattr(obj, slot, _MISSING)
        if value is not _MISSING:
            state[slot] = value
    return state


def _method(cls: type, name: str) -> types.FunctionType | None:
    """The function ``name`` of an allowed class (None unless it is one)."""
    if not NAME.fullmatch(name):
        return None
    try:
        function = inspect.getattr_static(cls, name)
    except AttributeError:
        return None
    if not isinstance(function, types.FunctionType):
        return None
    module = function.__module__ or ""
    return function if any(module == p or module.startswith(f"{p}.") for p in PACKAGES) else None


def _where(path: Any) -> str:
    """A path kept as nested ``(parent, step)`` pairs, as text (for error messages): a step
    is an attribute name, or a one-element list of an index or key."""
    steps = []
    while isinstance(path, tuple):
        path, step = path
        steps.append(f".{step}" if isinstance(step, str) else f"[{step[0]!r}]")
    return str(path) + "".join(reversed(steps))


# ------------------------------------------------------------------- writing
class _Writer:
    """Turns an object graph into the JSON table and the arrays (module docstring)."""

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self.memo: dict[int, int] = {}
        self.keep: list[Any] = []  # temporaries (a bit generator's state): ids stay unique
        self.pending: collections.deque[tuple[int, Any, Any]] = collections.deque()
        self.shapes: list[list] = []
        self.shape_index: dict[tuple[type, tuple[str, ...]], int] = {}
        self.keysets: list[list[str]] = []
        self.keyset_index: dict[tuple[str, ...], int] = {}
        self.bases: dict[type, type] = {}  # allowed classes met so far: their builtin base
        self.large: dict[str, np.ndarray] = {}
        self.small: list[np.ndarray] = []
        self.packed_size = 0
        self.stored: list[tuple[np.ndarray, Any]] = []  # every array, and where it was

    def document(self, root: object) -> dict:
        top = self.value(root, "model")
        while self.pending:
            index, obj, path = self.pending.popleft()
            self.objects[index] = self.entry(obj, path)
        self._check_shared_memory()
        return {
            "schema": SCHEMA,
            "root": top,
            "shapes": self.shapes,
            "keysets": self.keysets,
            "objects": self.objects,
        }

    def arrays(self) -> dict[str, np.ndarray]:
        packed = np.zeros(self.packed_size, dtype=np.uint8)
        offset = 0
        for array in self.small:
            data = array.tobytes(order="F" if _fortran(array) else "C")
            packed[offset : offset + len(data)] = np.frombuffer(data, dtype=np.uint8)
            offset += -(-len(data) // ALIGN) * ALIGN
        return {"packed": packed, **self.large}

    def value(self, x: Any, path: Any) -> Any:
        """The inline JSON of one value; containers and objects become references."""
        kind = type(x)
        if kind is float:
            return x if math.isfinite(x) else ["f", struct.pack("<d", x).hex()]
        if x is None or kind is bool or kind is int or kind is str:
            return x
        index = self.memo.get(id(x))
        if index is not None:
            return ["r", index]
        if kind is np.float64:
            number = float(x)
            return ["d", number if number - number == 0.0 else self.value(number, path)]
        if isinstance(x, enum.Enum):
            return ["e", self.class_name(kind, path), x.name]
        if isinstance(x, np.generic):
            return ["s", self.dtype(x.dtype, path), x.tobytes().hex()]
        if isinstance(x, type) or kind is types.FunctionType:  # a class or function itself
            return ["c", self.class_name(x, path)]
        index = len(self.objects)
        self.memo[id(x)] = index
        self.keep.append(x)
        self.objects.append(None)
        self.pending.append((index, x, path))
        return ["r", index]

    def key(self, x: Any, path: Any) -> Any:
        """A dictionary key or set member: a plain, hashable value."""
        if type(x) is tuple:
            return ["t", [self.key(v, path) for v in x]]
        if x is None or type(x) in (bool, int, float, str) or isinstance(x, enum.Enum | np.generic):
            return self.value(x, path)
        raise UnstorableError(f"{_where(path)}: a key or set member of type {type(x).__qualname__}")

    def values(self, items: Any, path: Any) -> list:
        return [
            v
            if type(v) in INLINE or (type(v) is float and v - v == 0.0)
            else self.value(v, (path, [i]))
            for i, v in enumerate(items)
        ]

    def pairs(self, mapping: dict, path: Any) -> list:
        out = []
        for k, v in mapping.items():
            out.append(k if type(k) is str else self.key(k, path))
            kind = type(v)
            if kind in INLINE or (kind is float and v - v == 0.0):
                out.append(v)
            elif kind is np.float64 and v - v == 0.0:
                out.append(["d", float(v)])
            else:
                out.append(self.value(v, (path, [k])))
        return out

    def shape(self, obj: object, path: Any, skip: frozenset[str] = frozenset()) -> list:
        """``[shape index, values]``: the object's class and attribute names, and values."""
        cls = type(obj)
        getter = _slot_getter(cls)
        if getter is not None and not skip:  # slots only, every one set: one C call
            try:
                return self.slot_shape(obj, cls, getter, path)
            except AttributeError:
                pass
        state = obj.__dict__ if not _slots(cls) and not skip else _state(obj)
        names = tuple(n for n in state if n not in skip) if skip else tuple(state)
        index = self.shape_index.get((cls, names))
        if index is None:
            for name in names:
                if not NAME.fullmatch(name):
                    raise UnstorableError(f"{_where(path)}: an attribute named {name!r}")
            index = self.shape_index[cls, names] = len(self.shapes)
            self.shapes.append([self.class_name(cls, path), list(names)])
        out = [
            v
            if type(v) in INLINE or (type(v) is float and v - v == 0.0)
            else self.value(v, (path, n))
            for n, v in ((n, state[n]) for n in names)
        ]
        return [index, out]

    def slot_shape(self, obj: object, cls: type, getter: Any, path: Any) -> list:
        """``shape`` of an instance of a class with slots only, every slot set."""
        values = getter(obj)
        names = _slots(cls)
        index = self.shape_index.get((cls, names))
        if index is None:
            index = self.shape_index[cls, names] = len(self.shapes)
            self.shapes.append([self.class_name(cls, path), list(names)])
        out = [
            v
            if type(v) in INLINE or (type(v) is float and v - v == 0.0)
            else self.value(v, (path, n))
            for n, v in zip(names, values, strict=True)
        ]
        return [index, out]

    def entry(self, x: Any, path: Any) -> list:
        kind = type(x)
        base = self.bases.get(kind)
        if base is not None:
            return self.instance(x, base, path)
        if kind is list:
            return ["list", self.values(x, path)]
        if kind is tuple:
            return ["tuple", self.values(x, path)]
        if kind is dict:
            keys = tuple(x)
            if not set(map(type, keys)) <= {str}:
                return ["dict", self.pairs(x, path)]
            index = self.keyset_index.get(keys)
            if index is None:
                index = self.keyset_index[keys] = len(self.keysets)
                self.keysets.append(list(keys))
            return ["record", index, self.values(x.values(), path)]
        if kind is collections.Counter:
            return ["counter", self.pairs(x, path)]
        if kind is set or kind is frozenset:
            return [kind.__name__, [self.key(v, path) for v in x]]
        if kind is np.ndarray:
            return self.array(x, path)
        if kind is random.Random:
            version, internal, gauss = x.getstate()
            return ["random", version, list(internal), self.value(gauss, path)]
        if kind in BIT_GENERATORS.values():
            return ["bitgen", kind.__name__, self.value(x.state, (path, "state"))]
        if kind is np.random.Generator:
            return ["generator", self.value(x.bit_generator, (path, "bit_generator"))]
        if kind is types.MethodType:
            return self.method(x, path)
        if kind is pd.PeriodIndex:
            ordinals = np.array(x.asi8, dtype=np.int64)
            return ["periods", x.freqstr, self.value(ordinals, (path, "asi8"))]
        self.class_name(kind, path)
        if issubclass(kind, mesa.Model):
            return self.model(x, path)
        base = self.bases[kind] = _base(kind)
        return self.instance(x, base, path)

    def instance(self, x: Any, base: type, path: Any) -> list:
        """An instance of an allowed class: its shape, attributes and items."""
        items: Any = None
        if base is dict:
            items = self.pairs(x, path)
        elif base is not object:
            items = self.values(x, path)
        return ["object", *self.shape(x, path), items]

    def class_name(self, cls: type | types.FunctionType, path: Any) -> str:
        name = _class_name(cls)
        if name is None:
            what = "" if isinstance(cls, types.FunctionType) else "an instance of "
            raise UnstorableError(
                f"{_where(path)}: {what}{cls.__module__}.{cls.__qualname__}, which is not "
                f"defined at the top of a module of {' or '.join(PACKAGES)} nor a type this "
                "format stores"
            )
        return name

    def dtype(self, dtype: np.dtype, path: Any) -> str:
        if dtype.kind not in PLAIN_KINDS or not DTYPE.fullmatch(dtype.str):
            raise UnstorableError(f"{_where(path)}: NumPy data of dtype {dtype}")
        return dtype.str

    def array(self, x: np.ndarray, path: Any) -> list:
        dtype = self.dtype(x.dtype, path)
        self.stored.append((x, path))
        readonly = not x.flags.writeable
        if x.nbytes >= PACK_BELOW:
            name = f"a{len(self.large)}"
            self.large[name] = x
            return ["array", name, readonly]
        offset = self.packed_size
        self.small.append(x)
        self.packed_size += -(-x.nbytes // ALIGN) * ALIGN
        order = "F" if _fortran(x) else "C"
        return ["packed", dtype, list(x.shape), order, offset, readonly]

    def method(self, x: types.MethodType, path: Any) -> list:
        owner, name = x.__self__, x.__func__.__name__
        if _class_name(type(owner)) is None or _method(type(owner), name) is not x.__func__:
            raise UnstorableError(f"{_where(path)}: a method that is not one of an allowed class")
        return ["method", self.value(owner, (path, "__self__")), name]

    def model(self, x: mesa.Model, path: Any) -> list:
        """A Mesa model: its own attributes, and what Mesa's part needs (module docstring)."""
        problems = {
            "a simulator": x._simulator is not None,
            "scheduled events besides the next step": (
                set(x._event_generators) != {x._default_schedule}
                or [e.time for e in x._event_list.peek_ahead(2)] != [x.time + 1.0]
            ),
            "signal subscribers": any(x.subscribers.values()),
            "data sets": bool(x.data_registry.datasets),
            "a Mesa seed that is not a whole number": type(x._seed) is not int,
        }
        found = [what for what, present in problems.items() if present]
        if found:
            raise UnstorableError(
                f"{_where(path)}: Mesa state this format does not hold ({found[0]})"
            )
        mesa_state = {
            "seed": x._seed,
            "initial_rng": self.value(x._rng, (path, "_rng")),
            "random": self.value(x.random, (path, "random")),
            "rng": self.value(x.rng, (path, "rng")),
            "steps": x.steps,
            "time": self.value(float(x.time), (path, "time")),
            "running": bool(x.running),
            "agent_id_counter": x.agent_id_counter,
            "agents": [self.value(a, (path, "agents")) for a in x.agents],
        }
        return ["model", *self.shape(x, path, _mesa_keys()), mesa_state]

    def _check_shared_memory(self) -> None:
        """Two stored arrays must not share memory: each is read back on its own."""
        groups: dict[int, list[tuple[np.ndarray, Any]]] = collections.defaultdict(list)
        for array, path in self.stored:
            root = array
            while isinstance(root, np.ndarray) and root.base is not None:
                root = root.base
            groups[id(root)].append((array, path))
        for members in (g for g in groups.values() if len(g) > 1):
            for i, (a, path_a) in enumerate(members):
                for b, path_b in members[i + 1 :]:
                    if np.shares_memory(a, b):
                        raise UnstorableError(
                            f"{_where(path_a)} and {_where(path_b)}: arrays sharing memory"
                        )


def _fortran(x: np.ndarray) -> bool:
    return x.ndim > 1 and x.flags.f_contiguous and not x.flags.c_contiguous


def write(handle: IO[bytes], root: object) -> None:
    """Write ``root``'s object graph to an open binary file (module docstring).

    Raises:
        UnstorableError: the graph holds something this format does not store.
    """
    writer = _Writer()
    document = writer.document(root)
    text = json.dumps(document, separators=(",", ":"), allow_nan=False, ensure_ascii=False)
    state = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    np.savez(handle, state=state, **writer.arrays())


# ------------------------------------------------------------------- reading
LAZY = frozenset({"tuple", "frozenset", "generator", "method", "periods"})


class _Reader:
    """Builds the object graph back from the JSON table and the arrays (module docstring)."""

    def __init__(self, document: Any, arrays: dict[str, np.ndarray]) -> None:
        if not isinstance(document, dict) or document.get("schema") != SCHEMA:
            raise UnreadableError(f"its state is not of schema {SCHEMA}")
        entries, shapes = document.get("objects"), document.get("shapes")
        keysets = document.get("keysets")
        if not isinstance(entries, list) or not all(
            type(e) is list and e and type(e[0]) is str for e in entries
        ):
            raise UnreadableError("its object table is malformed")
        if not isinstance(shapes, list) or not isinstance(keysets, list):
            raise UnreadableError("its shapes are malformed")
        if not all(type(k) is list and all(type(n) is str for n in k) for k in keysets):
            raise UnreadableError("its key sets are malformed")
        self.entries = entries
        self.shapes = [self.shape(s) for s in shapes]
        self.keysets = [tuple(k) for k in keysets]
        self.root = document.get("root")
        self.arrays = arrays
        self.packed = arrays.get("packed", np.zeros(0, dtype=np.uint8))
        self.objects: list[Any] = [_MISSING] * len(entries)
        self.building: set[int] = set()
        self.models: list[tuple[mesa.Model, dict]] = []
        self.dtypes: dict[str, np.dtype] = {}

    def shape(self, shape: Any) -> tuple[type, tuple[str, ...], bool]:
        """A class, its attribute names, and whether they all go into ``__dict__``."""
        if type(shape) is not list or len(shape) != 2 or type(shape[1]) is not list:
            raise UnreadableError("its shapes are malformed")
        cls = self.lookup(shape[0])
        names = tuple(shape[1])
        if not all(type(n) is str and NAME.fullmatch(n) for n in names):
            raise UnreadableError("an attribute name is not an identifier")
        slots = _slots(cls)
        if cls.__dictoffset__ == 0 and not set(names) <= set(slots):
            raise UnreadableError("an attribute is not one of its class's slots")
        return cls, names, not slots

    def document(self) -> Any:
        for i, entry in enumerate(self.entries):
            if self.objects[i] is _MISSING and entry[0] not in LAZY:
                self.objects[i] = self.shell(i, entry)
        for i, entry in enumerate(self.entries):
            self.fill(self.objects[i], entry)
        for i, entry in enumerate(self.entries):
            if entry[0] in ("random", "bitgen"):
                self.set_state(self.objects[i], entry)
        for model, mesa_state in self.models:
            self.restore_mesa(model, mesa_state)
        return self.value(self.root)

    # values
    def value(self, v: Any) -> Any:
        kind = type(v)
        if kind is float or kind is int or kind is str or kind is bool or v is None:
            return v
        if kind is not list or not v:
            raise UnreadableError("a value is malformed")
        tag = v[0]
        if tag == "r" and len(v) == 2:
            index = v[1]
            if type(index) is int and 0 <= index < len(self.objects):
                obj = self.objects[index]
                return obj if obj is not _MISSING else self.build(index)
            raise UnreadableError("a reference points outside the object table")
        if tag == "d" and len(v) == 2:
            number = self.value(v[1])
            if type(number) is not float:
                raise UnreadableError("a value is malformed")
            return np.float64(number)
        if tag == "f" and len(v) == 2:
            return struct.unpack("<d", self.hex(v[1], 8))[0]
        if tag == "c" and len(v) == 2:
            name = v[1]
            found = _allowed().get(name) if type(name) is str and CLASS.fullmatch(name) else None
            if found is None:
                raise UnreadableError("it names a class or function outside the allow-list")
            return found
        if tag == "e" and len(v) == 3:
            cls = self.lookup(v[1])
            if not issubclass(cls, enum.Enum) or type(v[2]) is not str:
                raise UnreadableError("an enum member is malformed")
            return cls[v[2]]
        if tag == "s" and len(v) == 3:
            dtype = self.dtype(v[1])
            return np.frombuffer(self.hex(v[2], dtype.itemsize), dtype=dtype)[0]
        if tag == "t" and len(v) == 2 and type(v[1]) is list:
            return tuple(self.value(x) for x in v[1])
        raise UnreadableError("a value is malformed")

    def hex(self, text: Any, size: int) -> bytes:
        if type(text) is not str or len(text) != 2 * size:
            raise UnreadableError("a number's bytes are malformed")
        return bytes.fromhex(text)

    def dtype(self, text: Any) -> np.dtype:
        dtype = self.dtypes.get(text) if type(text) is str else None
        if dtype is None:
            if type(text) is not str or not DTYPE.fullmatch(text):
                raise UnreadableError("a dtype is not one of plain data")
            dtype = self.dtypes[text] = np.dtype(text)
        return dtype

    def lookup(self, name: Any) -> type:
        cls = _allowed().get(name) if type(name) is str and CLASS.fullmatch(name) else None
        if not isinstance(cls, type):
            raise UnreadableError("it names a class outside the allow-list")
        return cls

    def items(self, entry: list, position: int) -> list:
        if len(entry) <= position or type(entry[position]) is not list:
            raise UnreadableError(f"a {entry[0]} entry is malformed")
        return entry[position]

    def shaped(self, entry: list) -> tuple[type, tuple[str, ...], bool]:
        if len(entry) != 4 or type(entry[1]) is not int or type(entry[2]) is not list:
            raise UnreadableError(f"an {entry[0]} entry is malformed")
        if not 0 <= entry[1] < len(self.shapes):
            raise UnreadableError("an object's shape is outside the table")
        shape = self.shapes[entry[1]]
        if len(shape[1]) != len(entry[2]):
            raise UnreadableError("an object's attributes are malformed")
        return shape

    # pass 1: every mutable object, empty
    def shell(self, index: int, entry: list) -> Any:
        kind = entry[0]
        if kind == "list":
            return []
        if kind == "dict" or kind == "record":
            return {}
        if kind == "counter":
            return collections.Counter()
        if kind == "set":
            return set()
        if kind == "array" and len(entry) == 3 and entry[1] in self.arrays:
            array = self.arrays[entry[1]]
            array.flags.writeable = entry[2] is not True
            return array
        if kind == "packed" and len(entry) == 6:
            return self.unpack(*entry[1:])
        if kind == "random":
            return random.Random(0)  # its state is set in pass 3
        if kind == "bitgen" and len(entry) == 3 and entry[1] in BIT_GENERATORS:
            return BIT_GENERATORS[entry[1]](0)  # its state is set in pass 3
        if kind == "object":
            cls = self.shaped(entry)[0]
            if issubclass(cls, enum.Enum | mesa.Model):
                raise UnreadableError("an object entry names an enum or a model")
            base = _base(cls)
            if base is tuple:
                return _MISSING  # built when first referred to, as a tuple is
            return object.__new__(cls) if base is object else base.__new__(cls)
        if kind == "model" and index == 0:
            return self.model_shell(entry)
        raise UnreadableError(f"an object entry of kind {kind!r} is malformed")

    def unpack(self, dtype: Any, shape: Any, order: Any, offset: Any, readonly: Any) -> Any:
        dtype = self.dtype(dtype)
        if (
            type(shape) is not list
            or not all(type(n) is int and n >= 0 for n in shape)
            or order not in ("C", "F")
            or type(offset) is not int
            or offset < 0
        ):
            raise UnreadableError("a packed array is malformed")
        count = math.prod(shape)
        if offset + count * dtype.itemsize > self.packed.nbytes:
            raise UnreadableError("a packed array lies outside the packed data")
        flat = np.frombuffer(self.packed, dtype=dtype, count=count, offset=offset)
        array = flat.reshape(shape, order=order).copy(order=order)
        array.flags.writeable = readonly is not True
        return array

    def model_shell(self, entry: list) -> mesa.Model:
        cls = self.shaped(entry)[0]
        mesa_state = entry[3]
        if not issubclass(cls, mesa.Model) or type(mesa_state) is not dict:
            raise UnreadableError("the model entry is malformed")
        seed = mesa_state.get("seed")
        if type(seed) is not int:
            raise UnreadableError("the model's Mesa seed is malformed")
        model = object.__new__(cls)
        mesa.Model.__init__(model, rng=seed)
        # the graph's references to Mesa's generators are to the ones its agent sets hold
        self.bind(mesa_state.get("random"), "random", model.random)
        rng = self.bind(mesa_state.get("rng"), "generator", model.rng)
        self.bind(self.entries[rng][1], "bitgen", model.rng.bit_generator)
        self.models.append((model, mesa_state))
        return model

    def bind(self, ref: Any, kind: str, obj: Any) -> int:
        if type(ref) is not list or len(ref) != 2 or ref[0] != "r" or type(ref[1]) is not int:
            raise UnreadableError("the model's Mesa state is malformed")
        index = ref[1]
        if not 0 < index < len(self.entries) or self.entries[index][0] != kind:
            raise UnreadableError("the model's Mesa state is malformed")
        if len(self.entries[index]) < 2:
            raise UnreadableError("the model's Mesa state is malformed")
        self.objects[index] = obj
        return index

    # immutable objects, built when first referred to
    def build(self, index: int) -> Any:
        if index in self.building:
            raise UnreadableError("an immutable object contains itself")
        self.building.add(index)
        obj = self.objects[index] = self.immutable(self.entries[index])
        self.building.discard(index)
        return obj

    def immutable(self, entry: list) -> Any:
        kind = entry[0]
        if kind == "tuple":
            return tuple([self.value(v) for v in self.items(entry, 1)])
        if kind == "frozenset":
            return frozenset([self.value(v) for v in self.items(entry, 1)])
        if kind == "generator" and len(entry) == 2:
            bits = self.value(entry[1])
            if type(bits) not in BIT_GENERATORS.values():
                raise UnreadableError("a generator's bit generator is malformed")
            return np.random.Generator(bits)
        if kind == "method" and len(entry) == 3:
            owner = self.value(entry[1])
            function = _method(type(owner), entry[2]) if type(entry[2]) is str else None
            if _class_name(type(owner)) is None or function is None:
                raise UnreadableError("a method is not one of an allowed class")
            return types.MethodType(function, owner)
        if kind == "periods" and len(entry) == 3:
            ordinals = self.value(entry[2])
            if type(entry[1]) is not str or not FREQ.fullmatch(entry[1]):
                raise UnreadableError("a period index's frequency is malformed")
            if type(ordinals) is not np.ndarray or ordinals.dtype != np.int64:
                raise UnreadableError("a period index's ordinals are malformed")
            return pd.PeriodIndex.from_ordinals(ordinals.copy(), freq=entry[1])
        if kind == "object":
            cls = self.shaped(entry)[0]
            if _base(cls) is not tuple or issubclass(cls, enum.Enum):
                raise UnreadableError("an object entry is malformed")
            obj = tuple.__new__(cls, self.values(self.items(entry, 3)))
            self.set_attributes(obj, entry)
            return obj
        raise UnreadableError(f"an object entry of kind {kind!r} is malformed")

    # pass 2: contents
    def values(self, items: list) -> list:
        return [v if type(v) in READ_INLINE else self.value(v) for v in items]

    def fill(self, obj: Any, entry: list) -> None:
        kind = entry[0]
        if kind == "list":
            obj.extend(self.values(self.items(entry, 1)))
        elif kind == "set":
            obj.update(self.values(self.items(entry, 1)))
        elif kind == "record":
            index = entry[1] if len(entry) == 3 else None
            if type(index) is not int or not 0 <= index < len(self.keysets):
                raise UnreadableError("a record entry is malformed")
            keys, values = self.keysets[index], self.values(self.items(entry, 2))
            if len(keys) != len(values):
                raise UnreadableError("a record entry is malformed")
            obj.update(zip(keys, values, strict=True))
        elif kind in ("dict", "counter"):
            self.fill_pairs(obj, self.items(entry, 1))
        elif kind == "object" and obj is not _MISSING and not isinstance(obj, tuple):
            self.set_attributes(obj, entry)
            if isinstance(obj, dict):
                self.fill_pairs(obj, self.items(entry, 3))
            elif isinstance(obj, list):
                list.extend(obj, self.values(self.items(entry, 3)))
        elif kind == "model":
            if set(self.shaped(entry)[1]) & _mesa_keys():
                raise UnreadableError("the model's attributes are malformed")
            self.set_attributes(obj, entry)

    def fill_pairs(self, obj: dict, pairs: list) -> None:
        if len(pairs) % 2:
            raise UnreadableError("a dictionary entry is malformed")
        values = self.values(pairs)
        for i in range(0, len(values), 2):
            dict.__setitem__(obj, values[i], values[i + 1])

    def set_attributes(self, obj: object, entry: list) -> None:
        _, names, plain = self.shaped(entry)
        values = self.values(entry[2])
        if plain:  # no slots: every attribute goes into __dict__, as pickle puts them
            obj.__dict__.update(zip(names, values, strict=True))
            return
        slots = _slots(type(obj))
        if names == slots:
            for setter, value in zip(_slot_setters(type(obj)), values, strict=True):
                setter(obj, value)
            return
        namespace = getattr(obj, "__dict__", None)
        for name, value in zip(names, values, strict=True):
            if name in slots:
                object.__setattr__(obj, name, value)
            elif namespace is not None:
                namespace[name] = value
            else:
                raise UnreadableError("an attribute is not one of its class's slots")

    # pass 3: random number generators' states
    def set_state(self, obj: Any, entry: list) -> None:
        if entry[0] == "random":
            if len(entry) != 4 or type(entry[2]) is not list:
                raise UnreadableError("a random state is malformed")
            obj.setstate((entry[1], tuple(entry[2]), self.value(entry[3])))
        else:
            obj.state = self.value(entry[2])

    # pass 4: Mesa's part of a model
    def restore_mesa(self, model: mesa.Model, state: dict) -> None:
        steps, counter = state.get("steps"), state.get("agent_id_counter")
        time, agents = self.value(state.get("time")), state.get("agents")
        if type(steps) is not int or type(counter) is not int or type(time) is not float:
            raise UnreadableError("the model's Mesa state is malformed")
        if type(agents) is not list:
            raise UnreadableError("the model's agents are malformed")
        agents = [self.value(a) for a in agents]
        if not all(isinstance(a, mesa.Agent) and a.__dict__.get("model") is model for a in agents):
            raise UnreadableError("the model's agents are malformed")
        for agent in agents:
            unique_id = agent.unique_id
            model.register_agent(agent)
            agent.unique_id = unique_id
        model.agent_id_counter = counter
        model.steps = steps
        model.running = state.get("running") is True
        model._rng = self.value(state.get("initial_rng"))
        # the next step's event, at the restored time + 1, like Mesa's default schedule
        model.time = time
        model._default_schedule.stop()
        model._default_schedule = EventGenerator(
            model, model._do_step, Schedule(interval=1.0, start=time + 1.0), Priority.HIGH
        ).start()


def _read_arrays(archive: zipfile.ZipFile) -> dict[str, np.ndarray]:
    """Every member of the archive, checked to be a plain array before it is read."""
    arrays = {}
    for info in archive.infolist():
        if not MEMBER.fullmatch(info.filename) or info.compress_type != zipfile.ZIP_STORED:
            raise UnreadableError("it holds a member that is not one of its arrays")
        with archive.open(info) as member:
            version = np.lib.format.read_magic(member)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(member)
            elif version == (2, 0):
                shape, _, dtype = np.lib.format.read_array_header_2_0(member)
            else:
                raise UnreadableError("it holds an array of an unknown format version")
            if dtype.hasobject or dtype.fields is not None or dtype.kind not in PLAIN_KINDS:
                raise UnreadableError("it holds an array of objects or of a non-plain dtype")
            if math.prod(shape) * dtype.itemsize > info.file_size:
                raise UnreadableError("an array is longer than its member")
        with archive.open(info) as member:
            array = np.lib.format.read_array(member, allow_pickle=False)
        arrays[info.filename.removesuffix(".npy")] = array
    return arrays


def read(handle: IO[bytes]) -> Any:
    """The object graph stored in an open binary file (module docstring).

    Raises:
        UnreadableError: the file is not a state this code reads, and why.
    """
    try:
        with zipfile.ZipFile(handle) as archive:
            arrays = _read_arrays(archive)
        state = arrays.pop("state", None)
        if state is None or state.dtype != np.uint8 or state.ndim != 1:
            raise UnreadableError("it has no state member")
        packed = arrays.get("packed")
        if packed is not None and (packed.dtype != np.uint8 or packed.ndim != 1):
            raise UnreadableError("its packed data is malformed")
        document = json.loads(state.tobytes().decode("utf-8"))
        return _Reader(document, arrays).document()
    except UnreadableError:
        raise
    except zipfile.BadZipFile:
        raise UnreadableError("it is not an .npz archive") from None
    except Exception as err:  # whatever a malformed file makes NumPy, json or Mesa raise
        raise UnreadableError(f"it cannot be parsed ({type(err).__name__})") from None
