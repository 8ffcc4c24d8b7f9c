"""View models: everything a template needs, as ready text (Code, Doc, Markdown), booleans and tuples.

A test checks that no field here is a plain `str`: text from a spec can only arrive through escape.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..escape import Code, Doc, Markdown, Toml



@dataclass(frozen=True, slots=True, kw_only=True)
class ImportView:
    """`from {module} import {names}`."""

    module: Code
    names: Code


@dataclass(frozen=True, slots=True, kw_only=True)
class ParamView:
    name: Code
    declaration: Code  # "name: annotation" or "name: annotation | NotGiven = NOT_GIVEN"


@dataclass(frozen=True, slots=True, kw_only=True)
class MethodView:
    name: Code
    constant: Code
    operation_spec: Code
    docstring: Doc
    positional: tuple[ParamView, ...]
    keyword: tuple[ParamView, ...]
    sync_return: Code
    async_return: Code
    values: Code
    body: Code
    envelope: Code
    has_body: bool
    paginated: bool
    returns_value: bool
    returns_none: bool
    long_running: bool
    job_constant: Code
    job_spec: Code
    accepted_type: Code
    result_type: Code
    headers_class: Code  # what `parse_headers()` returns on its raw response
    async_raw_wrapper: Code  # the runtime function that wraps the async method (a coroutine, or a pager)
    async_streamed_wrapper: Code


@dataclass(frozen=True, slots=True, kw_only=True)
class WrapperClasses:
    """The classes of a resource (or client) seen through with_raw_response and with_streaming_response."""

    raw_sync: Code
    raw_async: Code
    streamed_sync: Code
    streamed_async: Code


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildView:
    attribute: Code
    module: Code
    sync_class: Code
    async_class: Code
    wrappers: WrapperClasses
    classes: tuple[Code, ...]  # all six, sorted for their import


@dataclass(frozen=True, slots=True, kw_only=True)
class HeaderFieldView:
    declaration: Code  # "name: annotation = pydantic.Field(...)"


@dataclass(frozen=True, slots=True, kw_only=True)
class HeaderModelView:
    name: Code
    doc: Doc
    fields: tuple[HeaderFieldView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TwinChildView:
    """A resource attribute of one twin (sync or async) of a client or wrapper class."""

    attribute: Code
    module: Code
    cls: Code  # the resource's class (or wrapper class) of the same twin


@dataclass(frozen=True, slots=True, kw_only=True)
class WrappedMethodView:
    name: Code
    wrapper: Code  # the runtime function that wraps it
    headers_class: Code


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceWrapperView:
    """One of a resource's four wrapper classes (raw or streamed, sync or async)."""

    cls: Code
    doc: Doc
    resource: Code  # the resource class it wraps
    methods: tuple[WrappedMethodView, ...]
    children: tuple[TwinChildView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TwinMethodView:
    """A method as the sync or the async resource class writes it."""

    method: MethodView
    define: Code  # "def" or "async def"
    returns: Code
    wait: Code  # "" or "await " before a call into the client
    paginate: Code  # the runtime's pager function of this twin
    long_running: Code  # the long-running handle class of this twin


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceTwinView:
    """The sync or the async resource class: what differs between them, so one template text writes both."""

    cls: Code
    base: Code  # SyncAPIResource or AsyncAPIResource
    children: tuple[TwinChildView, ...]
    methods: tuple[TwinMethodView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceView:
    module: Code  # module name under resources/
    sync_class: Code
    async_class: Code
    doc: Doc
    methods: tuple[MethodView, ...]
    children: tuple[ChildView, ...]
    has_methods: bool
    has_children: bool
    standard_imports: tuple[Code, ...]  # `import x`, each only when used
    has_standard_imports: bool
    third_party_imports: tuple[Code, ...]
    has_third_party_imports: bool
    local_imports: tuple[ImportView, ...]
    wrappers: WrapperClasses
    twins: tuple[ResourceTwinView, ...]  # sync, then async
    wrapper_twins: tuple[ResourceWrapperView, ...]
    header_models: tuple[HeaderModelView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ArgView:
    name: Code
    doc: Doc


@dataclass(frozen=True, slots=True, kw_only=True)
class EnvView:
    variable: Doc
    sets: Doc  # the client argument it fills, or what it does


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemeView:
    key: Code  # literal of the scheme key
    spec: Code  # SchemeSpec(...) expression


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientTwinView:
    """The sync or the async client class: what differs between them, so one template text writes both."""

    cls: Code
    base: Code  # SyncAPIClient or AsyncAPIClient
    http_client: Code  # the httpx client class it accepts
    raw: Code  # its with_raw_response class
    streamed: Code  # its with_streaming_response class
    children: tuple[TwinChildView, ...]
    documented: bool  # the sync twin carries the arguments' docs; the async one points at it


@dataclass(frozen=True, slots=True, kw_only=True)
class WrapperTwinView:
    """One of a client's four wrapper classes (raw or streamed, sync or async)."""

    cls: Code
    client: Code  # the client class it wraps
    children: tuple[TwinChildView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientView:
    sync_class: Code
    async_class: Code
    doc: Doc
    module_doc: Doc  # the same text as a whole docstring of its own
    default_base_url: Code
    user_agent: Code
    credentials: tuple[ArgView, ...]
    client_parameters: tuple[ArgView, ...]
    schemes: tuple[SchemeView, ...]
    children: tuple[ChildView, ...]
    has_children: bool
    imports: tuple[ImportView, ...]  # from the runtime
    twins: tuple[ClientTwinView, ...]  # sync, then async
    wrapper_twins: tuple[WrapperTwinView, ...]
    credentials_dict: Code
    client_parameters_dict: Code
    rate_limit: Code
    wrappers: WrapperClasses
    servers: Code  # a tuple literal of the spec's absolute server URLs
    logger: Code  # literal of the logger's name: the import name
    env: Code  # EnvSpec(...) expression
    environment: tuple[EnvView, ...]
    base_url_env: Doc


@dataclass(frozen=True, slots=True, kw_only=True)
class TestCaseView:
    name: Code  # test function name
    operation_id: Code  # literal
    call: Code  # e.g. resource path + method + arguments, without the client
    paginated: bool
    returns_nothing: bool  # the call is a statement; the mock's match is the check
    check: Code  # an expression that must be true of `result` (or `page`); empty when nothing is returned
    response: Code  # (status, body, media type) the mock answers with
    deprecated: bool = False  # the call warns (tests/runtime/test_deprecation.py proves it); the test ignores that
    skip: Code = Code("")  # a literal reason: the spec gives no value that fits a schema the test needs


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorCaseView:
    """A documented error status: the call raises its typed error, keeping the body."""

    name: Code
    operation_id: Code
    call: Code  # as in TestCaseView; ends in `.first_page()` for a paginated operation
    status: Code
    response: Code
    check: Code  # an expression that must be true of `error`
    deprecated: bool = False
    skip: Code = Code("")


@dataclass(frozen=True, slots=True, kw_only=True)
class TestModuleView:
    module: Code
    cases: tuple[TestCaseView, ...]
    errors: tuple[ErrorCaseView, ...]
    standard_imports: tuple[Code, ...]
    uses_pytest: bool
    package_imports: tuple[ImportView, ...]  # from the package and its modules


@dataclass(frozen=True, slots=True, kw_only=True)
class TestsView:
    base_url: Code
    client_arguments: tuple[Code, ...]  # "name='value'" for the client constructor
    credentials: Code  # the test credentials, as a dict display
    client_classes: Code  # the two client classes, in import order
    modules: tuple[TestModuleView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TomlView:
    distribution: Toml
    version: Toml
    description: Toml
    license: Toml
    xml: bool = False  # the API sends or reads XML: the package depends on the safe XML parser
    line_length: Code  # black's, which ruff's import sorting must agree with


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeView:
    """An export of the package and the module (relative to it) that defines it."""

    name: Code
    module: Code


@dataclass(frozen=True, slots=True, kw_only=True)
class RowView:
    cells: tuple[Markdown, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GuideView:
    """A README section about one mechanism: prose, then (when not empty) a Python example."""

    title: Markdown
    text: Markdown
    code: Markdown


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthExampleView:
    """One security alternative: which schemes, and the constructor arguments it takes."""

    comment: Markdown
    arguments: Markdown


@dataclass(frozen=True, slots=True, kw_only=True)
class DocsView:
    title: Markdown
    description: Markdown
    distribution: Markdown
    install: Markdown
    servers: tuple[RowView, ...]
    auth_rows: tuple[RowView, ...]
    operations: tuple[RowView, ...]
    examples: tuple[Markdown, ...]
    client_parameters: tuple[RowView, ...]
    has_client_parameters: bool
    has_pagination: bool
    pagination_example: Markdown
    environment: tuple[RowView, ...]  # variable, what it sets
    log_variable: Markdown
    logger: Markdown
    guides: tuple[GuideView, ...]
    null_note: Markdown
    error_model: Code  # a model some documented error body parses into, or empty
    auth_examples: tuple[AuthExampleView, ...]
    client_arguments: Markdown  # constructor arguments for the other examples: the first scheme's
    has_calls: bool  # some operation to show a call of (a spec of webhooks alone has none)
    raw_example: Markdown  # a call through client.with_raw_response
    raw_header: Markdown  # a typed header of that call's response, or empty
    has_raw_header: bool
    stream_example: Markdown  # a call through client.with_streaming_response (a download where there is one)
    stream_fits: bool  # `with <it> as streamed:` fits a line (else it is bound first: see view/layout.py)
    left_out: tuple[RowView, ...] = ()  # (what, why) of x-careforge-left-out
    has_files: bool = False  # some method takes a file (FileInput)


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageView:
    distribution: Code
    module: Code
    version: Code
    title: Doc
    description: Code
    sync_class: Code
    async_class: Code
    client: ClientView
    resources: tuple[ResourceView, ...]
    tests: TestsView
    docs: DocsView
    toml: TomlView
    exports: tuple[Code, ...]
    homes: tuple[HomeView, ...]
    home_imports: tuple[ImportView, ...]  # the homes as import lines, for the type checker
    spec_name: Doc
