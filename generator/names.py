"""Turning spec strings into safe Python names: the only place identifiers are made."""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Callable, Iterable

from .client_attributes import client_attributes
from .typed_names import ClassName, PythonIdentifier

_WORD_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])|([A-Z]+)([A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")

# Names the generated modules import or define themselves; a spec name must not shadow them.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any", "Annotated", "AwareDatetime", "AnyUrl", "BaseModel", "ConfigDict", "Decimal", "Dict", "EmailStr",
        "Enum", "Field", "IntEnum", "List", "Literal", "NaiveDatetime", "Optional", "RootModel", "StrEnum",
        "Union", "UUID", "OpenStrEnum", "OpenIntEnum", "NotGiven", "Self", "Type", "Polymorphic",
    }
    | {name for name in dir(builtins) if name[:1].isupper()}
)

# Classes a resource module (resource.py.j2) or _client.py imports: a resource class must not shadow one.
RESERVED_RESOURCE_CLASSES = frozenset(
    {
        "AsyncAPIResource", "SyncAPIResource", "BodySpec", "FieldEncoding", "OperationSpec", "PaginationSpec", "ParamSpec",
        "RequestOptions", "ResponseSpec", "BinaryResponse", "FileInput", "Headers", "NotGiven", "Query", "Timeout",
        "AsyncLongRunning", "LongRunning", "LongRunningSpec", "AsyncPager", "SyncPager", "AsyncAPIClient",
        "SyncAPIClient", "ClientConfig", "RateLimitSpec", "SchemeSpec", "TokenSpec", "SigningSpec", "Mapping",
        "ResponseHeaders",
        "EnvSpec",
        "XmlDocument", "XmlElement", "XmlNode",
    }
)

# Capitalised names the package's _client.py, __init__.py and tests bind at module level: the client
# classes must not take one (tests/generator/test_reserved_names.py keeps this list complete).
RESERVED_CLIENT_CLASSES = frozenset(
    {
        "APIConnectionError", "APIError", "APIResponse", "APIResponseValidationError", "APIStatusError",
        "APITimeoutError", "Any", "AsyncAPIClient", "AsyncAPIResponse", "ResponseHeaders", "AsyncFactory", "AsyncLongRunning", "AsyncPager", "AuthenticationError",
        "BASE_URL", "BadRequestError", "BinaryResponse", "FileInput", "CONTRACT", "CREDENTIALS", "ClientConfig",
        "ConfigurationError", "ConflictError", "Contract", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "EnvSpec", "ErrorDetail",
        "InternalServerError", "Iterator", "LongRunning", "LongRunningFailed", "LongRunningTimeout", "Mapping",
        "MethodNotAllowedError", "Mock", "MockServer", "NOT_GIVEN", "Node", "NotFoundError", "NotGiven", "Page",
        "Path", "PermissionDeniedError", "RateLimitError", "RateLimitSpec", "SchemeSpec", "SigningSpec",
        "SyncAPIClient", "SyncFactory", "SyncPager", "Timeout", "TokenSpec", "UnprocessableEntityError",
    }
    | RESERVED_CLASS_NAMES
)

# Names a generated method already uses for its own keyword arguments, and the modules and functions
# its body calls (an argument named `typing` would shadow the module).
RESERVED_ARGUMENTS = frozenset(
    {"self", "extra_headers", "extra_query", "extra_body", "timeout", "body", "idempotency_key", "cls",
     "typing", "models", "builtins", "datetime", "paginate_sync", "paginate_async", "pydantic",
     "to_raw_response_wrapper", "to_streamed_response_wrapper", "async_to_raw_response_wrapper",
     "async_to_streamed_response_wrapper", "async_pager_to_raw_response_wrapper",
     "async_pager_to_streamed_response_wrapper"}
)


# Keyword arguments of every client constructor.
RESERVED_CLIENT_ARGUMENTS = frozenset(
    {"self", "base_url", "timeout", "max_retries", "default_headers", "default_query", "http_client",
     "allow_insecure_http"}
)

# Attributes of every client object; a resource must not take one of these names.
RESERVED_CLIENT_ATTRIBUTES = RESERVED_CLIENT_ARGUMENTS | client_attributes()


def words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    spaced = _WORD_BOUNDARY.sub(lambda m: f"{m[1] or m[3]}_{m[2] or m[4]}", ascii_text)
    return [w for w in _NON_WORD.split(spaced) if w]


def snake(text: str) -> str:
    return "_".join(w.lower() for w in words(text))


def identifier(text: str, *, reserved: Iterable[str] = (), fallback: str = "value") -> PythonIdentifier:
    """A lower_snake_case identifier for `text`, never a keyword or a reserved name.

    Builtin names stay (`type=` reads better than `type_=`); generated code refers to builtins
    through the `builtins` module wherever a spec name could shadow them.
    """
    name = snake(text) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or name in reserved:
        name += "_"
    return PythonIdentifier(name)


def class_name(text: str, *, fallback: str = "Model") -> ClassName:
    """A PascalCase class name for `text` that shadows nothing the generated modules use."""
    parts = words(text)
    name = "".join(p[:1].upper() + p[1:] for p in parts) or fallback
    if name[0].isdigit():
        name = fallback + name
    if name in RESERVED_CLASS_NAMES or keyword.iskeyword(name):
        name += fallback
    return ClassName(name)


def client_class(text: str, *, fallback: str = "Api") -> ClassName:
    """The client class for `text`; `Client` is appended where it or its Async twin would shadow a name."""
    name = class_name(text, fallback=fallback)
    if name in RESERVED_CLIENT_CLASSES or f"Async{name}" in RESERVED_CLIENT_CLASSES:
        name = ClassName(f"{name}Client")
    return name


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name2`, `name3`... whichever is free; records the choice in `taken`."""
    candidate = first_free(name, taken.__contains__)
    taken.add(candidate)
    return candidate


def first_free(base: str, taken: Callable[[str], bool], *, separator: str = "") -> str:
    """`base`, or `base2`, `base3`... (`separator` before the number): the first that is not `taken`."""
    candidate, counter = base, 2
    while taken(candidate):
        candidate = f"{base}{separator}{counter}"
        counter += 1
    return candidate


# What a pydantic model class already has: a field of that name would shadow it, so it gets a `_`
# (as the model generator spells it; names starting with `_` are prefixed instead, below).
_MODEL_ATTRIBUTES = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "model_computed_fields", "model_config",
        "model_construct", "model_copy", "model_dump", "model_dump_json", "model_extra", "model_fields",
        "model_fields_set", "model_json_schema", "model_parametrized_name", "model_post_init",
        "model_rebuild", "model_validate", "model_validate_json", "model_validate_strings", "mro",
        "parse_file", "parse_obj", "parse_raw", "register", "schema", "schema_json", "update_forward_refs",
        "validate",
    }
)


def model_field(wire: str, taken: Iterable[str]) -> PythonIdentifier:
    """The attribute a model class gives the property `wire` (its JSON name stays the alias), unique
    among `taken`, the names its earlier properties took: the model generator's spelling."""
    taken = set(taken)
    name = wire or "_"
    if name[0] == "#":
        name = name[1:] or "_"
    name = "".join(c if f"a{c}".isidentifier() else "_" for c in name)  # (`²` matches \w, yet is no identifier)
    if name[0].isnumeric():
        name = f"field_{name}"
    if name.startswith("_"):
        name = f"field{name}"  # a leading underscore would make it private to pydantic
    if keyword.iskeyword(name) or name in _MODEL_ATTRIBUTES:
        name += "_"
    candidate, count = name, 1
    while not _free(candidate, taken):
        if not candidate.isascii() and not candidate.isidentifier():
            name = candidate = "".join(c if c == "_" or (c.isascii() and c.isalnum()) else f"_u{ord(c):x}_"
                                       for c in name)
            continue
        candidate = f"{name}_{count}"
        count += 1
    return PythonIdentifier(unicodedata.normalize("NFKC", candidate))  # as Python reads it: `ℌ` is `H`


def _free(name: str, taken: set[str]) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and name not in taken and name not in _MODEL_ATTRIBUTES
