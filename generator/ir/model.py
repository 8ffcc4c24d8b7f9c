"""The intermediate representation: what the client does, free of OpenAPI's spelling.

Everything is frozen; collections are tuples; names are made safe once, when created (see names.py).
JSON values that the IR carries (schemas, examples) are kept as canonical JSON text so the IR stays
immutable and hashable.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..typed_names import ClassName as ClassName, JsonText as JsonText, PythonIdentifier as PythonIdentifier


class HttpMethod(enum.Enum):
    GET = "GET"
    PUT = "PUT"
    POST = "POST"
    DELETE = "DELETE"
    OPTIONS = "OPTIONS"
    HEAD = "HEAD"
    PATCH = "PATCH"
    TRACE = "TRACE"

    @property
    def idempotent(self) -> bool:
        return self not in (HttpMethod.POST, HttpMethod.PATCH)


class ParamLocation(enum.Enum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


class ParamStyle(enum.Enum):
    FORM = "form"
    SIMPLE = "simple"
    DEEP_OBJECT = "deepObject"
    SPACE_DELIMITED = "spaceDelimited"
    PIPE_DELIMITED = "pipeDelimited"
    LABEL = "label"
    MATRIX = "matrix"
    CONTENT = "content"  # described by `content` with a JSON media type: the value goes as JSON text


class Primitive(enum.Enum):
    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"


class BodyEncoding(enum.Enum):
    JSON = "json"
    FORM = "form"
    MULTIPART = "multipart"
    BINARY = "binary"
    TEXT = "text"
    XML = "xml"


class ResponseKind(enum.Enum):
    JSON = "json"
    BINARY = "binary"
    TEXT = "text"
    EMPTY = "empty"
    XML = "xml"  # typed when `xml` is set; else the document's safe element tree


class AuthKind(enum.Enum):
    BASIC = "basic"
    BEARER = "bearer"
    API_KEY = "api_key"
    OAUTH2_CLIENT_CREDENTIALS = "oauth2_client_credentials"


class PaginationStyle(enum.Enum):
    NEXT_LINK = "next-link"
    PAGE_NUMBER = "page-number"


class ModelsLayout(enum.Enum):
    """rules.toml `models`: one models module, one module per model, or split by size."""

    AUTO = "auto"
    ONE_MODULE = "one-module"
    PER_MODEL = "per-model"


class TokenPlacement(enum.Enum):
    """Where an OAuth2 token request sends the client's id and secret."""

    FORM = "form"
    QUERY = "query"


class ResetClock(enum.Enum):
    """How a rate limit's reset header counts time."""

    EPOCH_SECONDS = "epoch-seconds"
    DELTA_SECONDS = "delta-seconds"


class ContentEncoding(enum.Enum):
    """How a raw body's bytes travel encoded (OAS 3.1 contentEncoding)."""

    BASE64 = "base64"
    BASE64URL = "base64url"


class XmlKind(enum.Enum):
    OBJECT = "object"
    ARRAY = "array"
    SCALAR = "scalar"
    ANY = "any"


class XmlScalar(enum.Enum):
    """The JSON Schema type an XML scalar's text is read as."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"


class SignedFields(enum.Enum):
    """Which request values an HMAC signature covers (x-careforge-signing `fields`)."""

    QUERY_FOR_GET_ELSE_FORM = "query-for-get-else-form"
    QUERY = "query"
    FORM = "form"
    NONE = "none"


# The closed union of types a value can have at a use site (parameters, body fields, responses).
@dataclass(frozen=True, slots=True, kw_only=True)
class PrimitiveType:
    kind: Primitive
    format: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ArrayType:
    item: TypeRef


@dataclass(frozen=True, slots=True, kw_only=True)
class MapType:
    value: TypeRef


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelType:
    name: ClassName


@dataclass(frozen=True, slots=True, kw_only=True)
class LiteralType:
    values: tuple[JsonText, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class UnionType:
    members: tuple[TypeRef, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class NullableType:
    inner: TypeRef


@dataclass(frozen=True, slots=True, kw_only=True)
class AnyType:
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class BinaryType:
    pass


TypeRef = PrimitiveType | ArrayType | MapType | ModelType | LiteralType | UnionType | NullableType | AnyType | BinaryType


@dataclass(frozen=True, slots=True, kw_only=True)
class Polymorphism:
    """A schema others extend, with a discriminator: the property (its wire name) whose value names the
    class a value parses into, and each tag with its class."""

    property: str
    tags: tuple[tuple[str, ClassName], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelField:
    """A property of a model: its attribute name (as the model class spells it) and its JSON name.
    `required` is the spec's word; a read-only property is still left out of requests and a write-only
    one out of responses, so the class demands neither."""

    name: PythonIdentifier
    wire_name: str
    required: bool
    read_only: bool = False
    write_only: bool = False
    nullable: bool = False
    type: TypeRef
    default: JsonText | None = None

    @property
    def demanded(self) -> bool:
        """Must a value of the class carry it (in both directions)?"""
        return self.required and not (self.read_only or self.write_only)


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumShape:
    """An enum's values; an open one (str or int values) parses an unknown value into an extra member."""

    values: tuple[JsonText, ...]
    kind: Primitive | None  # STR or INT when open; None for a closed enum (floats or mixed values)

    @property
    def open(self) -> bool:
        return self.kind is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Discriminator:
    """A union's tag: the property (wire name) and the class each tag value selects."""

    property: str
    mapping: tuple[tuple[str, ClassName], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """A named schema: `schema` is the JSON Schema handed to the model generator; the rest is what the
    class means, decided here once (its own fields, the models it extends or chooses between, enum,
    discriminator). A union with properties of its own is a class `<name><n>` per member, which
    extends the member with those properties."""

    name: ClassName
    schema: JsonText
    polymorphic: Polymorphism | None = None
    fields: tuple[ModelField, ...] = ()  # a union's: the properties it adds to each member
    bases: tuple[ClassName, ...] = ()
    members: tuple[ClassName, ...] = ()  # a union's (oneOf, anyOf), when each is a model
    enum: EnumShape | None = None
    discriminator: Discriminator | None = None

    @property
    def is_enum(self) -> bool:
        return self.enum is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class XmlNode:
    """A schema as XML (the OpenAPI XML Object, resolved): see xml_shapes.py. `name` is the element or
    attribute name, "" for array items named as their array; `ref` names an entry of the document's
    shapes holding the content (kind aside)."""

    kind: XmlKind
    name: str = ""
    namespace: str = ""
    prefix: str = ""
    attribute: bool = False
    wrapped: bool = False
    scalar: XmlScalar = XmlScalar.STRING
    properties: tuple[tuple[str, XmlNode], ...] = ()
    items: XmlNode | None = None
    extra: XmlNode | None = None
    ref: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class XmlDocument:
    root: XmlNode
    shapes: tuple[tuple[str, XmlNode], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    wire_name: str
    name: PythonIdentifier
    location: ParamLocation
    required: bool
    type: TypeRef
    style: ParamStyle
    explode: bool
    description: str = ""
    client_parameter: PythonIdentifier | None = None
    example: JsonText | None = None
    example_problem: str = ""  # why no example fits the schema: the generated test is skipped with it
    deprecated: bool = False
    allow_reserved: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldEncoding:
    """The Encoding Object of one form or multipart field. `style` is None when the spec sets none of
    style, explode and allowReserved: the field then follows its content type (objects as JSON)."""

    wire_name: str
    style: ParamStyle | None = None
    explode: bool = True
    allow_reserved: bool = False
    content_type: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class BodyField:
    """A property of an object request body, offered as a keyword argument."""

    wire_name: str
    name: PythonIdentifier
    required: bool
    type: TypeRef
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestBody:
    media_type: str
    encoding: BodyEncoding
    type: TypeRef
    required: bool
    fields: tuple[BodyField, ...] | None  # None: the body is passed whole as `body=`
    example: JsonText | None = None
    example_problem: str = ""
    description: str = ""
    encodings: tuple[FieldEncoding, ...] = ()
    default: JsonText | None = None  # the schema's default, sent when the caller passes no body
    xml: XmlDocument | None = None  # an XML body's shape
    xml_parts: tuple[tuple[str, XmlDocument], ...] = ()  # multipart fields sent as XML files, by wire name
    content_encoding: ContentEncoding | None = None  # None: a raw body's bytes go as they are


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    status: str  # "200", "2XX" or "default"
    kind: ResponseKind
    type: TypeRef | None
    media_type: str = ""
    description: str = ""
    example: JsonText | None = None
    example_problem: str = ""
    xml: XmlDocument | None = None  # a typed XML body's shape

    @property
    def error_status(self) -> bool:
        return is_error_status(self.status)


def is_error_status(status: str) -> bool:
    """A numeric 4xx or 5xx status: the kind of error a generated test raises."""
    return status.isascii() and status.isdigit() and int(status) >= 400


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseHeader:
    """A header the spec documents on a success response (a header's value is text: scalars only)."""

    wire_name: str
    name: PythonIdentifier
    type: PrimitiveType
    required: bool  # documented as required on every success response
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Pagination:
    style: PaginationStyle
    items_path: tuple[str, ...]
    next_path: tuple[str, ...] = ()
    page_param: str = ""
    total_pages_path: tuple[str, ...] = ()
    item_type: TypeRef = AnyType()


@dataclass(frozen=True, slots=True, kw_only=True)
class LongRunning:
    """A write that returns a job id; another operation reports the job's progress."""

    poll_operation_id: str
    parameter: str  # the poll operation's parameter taking the id ("" with a poll URL)
    id_paths: tuple[tuple[str, ...], ...]
    status_paths: tuple[tuple[str, ...], ...]  # first present wins; () when the HTTP status is the status
    pending: tuple[str, ...]
    success: tuple[str, ...]
    failure: tuple[str, ...]
    result_type: TypeRef | None  # None: the poll answers in text, and the text is the result
    status_code: bool = False  # the poll's HTTP status is the job's status
    flags: bool = False  # the status paths are flags; the first holding true is the status, by its name
    poll_url: tuple[str, ...] = ()  # where the immediate response holds the URL to poll
    id_parameter: str = ""  # the operation's own parameter (wire name) whose value is the job id


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    operation_id: str
    name: PythonIdentifier
    method: HttpMethod
    path: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]  # successful (2xx) responses
    errors: tuple[Response, ...]  # documented error responses
    security: tuple[tuple[PythonIdentifier, ...], ...]  # alternatives; () means no auth
    security_problem: str = ""  # why no alternative the spec lists can be sent (then security is ())
    pagination: Pagination | None
    idempotent: bool
    retry_safe: bool
    pointer: str
    long_running: LongRunning | None = None
    server: str = ""  # the operation's or its path's own server (the first listed), if it has one
    response_headers: tuple[ResponseHeader, ...] = ()
    content_type: str = ""  # x-careforge-request-content-type: sent on requests without a body too
    boolean_text: tuple[str, str] | None = None  # x-careforge-boolean-text: how true and false are written
    variant: str = ""  # the x-careforge-variants entry this method is made from, if any


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    path: tuple[PythonIdentifier, ...]  # attribute path from the client, e.g. ("v0_5", "cases")
    class_name: ClassName
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Signing:
    """HMAC request signing (x-careforge-signing)."""

    secret: PythonIdentifier
    string_to_sign: tuple[str, ...]
    signature_header: str
    headers: tuple[tuple[str, str], ...]
    fields: SignedFields
    canonical_line: str
    nonce_bytes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenEndpoint:
    """OAuth2 client credentials: where and how the token is fetched."""

    url: str
    placement: TokenPlacement
    lifetime: float
    scopes: tuple[str, ...]
    placeholder: bool = False  # x-careforge-token-url-placeholder: the client needs token_url=


@dataclass(frozen=True, slots=True, kw_only=True)
class RateLimit:
    requests_per_second: float
    limit_header: str
    remaining_header: str
    reset_header: str
    reset: ResetClock


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityScheme:
    key: PythonIdentifier  # the scheme's name in the spec, made safe
    kind: AuthKind
    location: ParamLocation = ParamLocation.HEADER
    parameter: str = ""  # header/query/cookie name for api keys
    template: str = ""  # how the value is built from credentials ("ApiKey {username}:{api_key}")
    credentials: tuple[PythonIdentifier, ...] = ()
    description: str = ""
    signing: Signing | None = None
    token: TokenEndpoint | None = None
    options: tuple[PythonIdentifier, ...] = ()  # optional client arguments (e.g. token_url)
    charset: str = ""  # x-careforge-charset of Basic credentials; "" is UTF-8
    env: tuple[tuple[PythonIdentifier, str], ...] = ()  # environment variables the spec names for them


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientParameter:
    name: PythonIdentifier
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Server:
    url: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Package:
    distribution: str
    module: PythonIdentifier
    client: ClassName
    async_client: ClassName
    title: str
    version: str
    license: str = "MIT"
    models_layout: ModelsLayout = ModelsLayout.AUTO


@dataclass(frozen=True, slots=True, kw_only=True)
class Api:
    package: Package
    title: str
    description: str
    api_version: str
    openapi_version: str
    servers: tuple[Server, ...]
    resources: tuple[Resource, ...]
    security_schemes: tuple[SecurityScheme, ...]
    client_parameters: tuple[ClientParameter, ...]
    models: tuple[Model, ...]
    ignored: tuple[tuple[str, str], ...]  # (operationId, reason)
    rate_limit: RateLimit | None = None
    base_url_env: str = ""  # the environment variable the spec names for base_url
    left_out: tuple[tuple[str, str], ...] = ()  # (what the client leaves out, why): x-careforge-left-out

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for resource in self.resources for op in resource.operations)
