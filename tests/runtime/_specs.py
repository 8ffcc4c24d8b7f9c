"""The toy specs the runtime tests generate clients from: one operation for each behaviour under test."""

from __future__ import annotations

TOY = """\
openapi: 3.1.0
info: {title: Toy, version: "1"}
servers:
  - url: https://toy.example.test
tags:
  - {name: things, description: Things.}
  - {name: lists, description: Paginated lists.}
  - {name: secure, description: Authenticated calls.}
  - {name: jobs, description: Long-running jobs.}
paths:
  /things/{thing_id}:
    parameters:
      - {name: thing_id, in: path, required: true, schema: {type: string}}
    get:
      operationId: things_retrieve
      tags: [things]
      parameters:
        - {name: X-Label, in: header, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
    put:
      operationId: things_replace
      tags: [things]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
    patch:
      operationId: things_update
      tags: [things]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
    delete:
      operationId: things_delete
      tags: [things]
      responses:
        "204": {description: gone}
  /things:
    post:
      operationId: things_create
      tags: [things]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /things/search:
    post:
      operationId: things_search
      tags: [things]
      x-careforge-retry-safe: true
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /things/{thing_id}/slot:
    put:
      operationId: things_claim
      tags: [things]
      x-careforge-idempotent: false
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /cases:
    get:
      operationId: lists_cases
      tags: [lists]
      x-careforge-pagination: {style: next-link, items: objects, next: meta.next}
      parameters:
        - {name: size, in: query, schema: {type: integer}}
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                required: [objects]
                properties:
                  meta:
                    type: object
                    properties:
                      next: {type: [string, "null"]}
                      total_count: {type: integer}
                  objects:
                    type: array
                    items: {$ref: "#/components/schemas/Thing"}
  /records:
    get:
      operationId: lists_records
      tags: [lists]
      x-careforge-pagination: {style: page-number, items: items, page-param: page, total-pages: page_count}
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  page_count: {type: integer}
                  items:
                    type: array
                    items: {$ref: "#/components/schemas/Thing"}
  /secure/key:
    get:
      operationId: secure_key
      tags: [secure]
      security: [{apiKeyAuth: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
  /secure/basic:
    get:
      operationId: secure_basic
      tags: [secure]
      security: [{basicAuth: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
  /secure/query:
    get:
      operationId: secure_query
      tags: [secure]
      security: [{queryKey: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
  /secure/oauth:
    get:
      operationId: secure_oauth
      tags: [secure]
      security: [{oauth: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
    put:
      operationId: secure_oauth_upload
      tags: [secure]
      security: [{oauth: []}]
      requestBody: {required: true, content: {application/octet-stream: {}}}
      responses:
        "204": {description: stored}
  /secure/oauth-query:
    get:
      operationId: secure_oauth_query
      tags: [secure]
      security: [{oauthQuery: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
  /secure/signed:
    get:
      operationId: secure_signed
      tags: [secure]
      security: [{signedKey: []}]
      parameters:
        - {name: q, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
  /jobs:
    post:
      operationId: jobs_start
      tags: [jobs]
      x-careforge-long-running:
        id: [job_id]
        poll: jobs_status
        poll-parameter: job_id
        status: state
        pending: [queued, running]
        success: [done]
        failure: [failed]
        result: "#/components/schemas/Job"
      responses:
        "202":
          description: accepted
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
  /jobs/{job_id}:
    get:
      operationId: jobs_status
      tags: [jobs]
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
components:
  securitySchemes:
    apiKeyAuth: {type: apiKey, in: header, name: X-Api-Key}
    queryKey: {type: apiKey, in: query, name: api_key}
    basicAuth: {type: http, scheme: basic}
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://toy.example.test/token
          scopes: {}
    oauthQuery:
      type: oauth2
      x-careforge-token-request: query
      flows:
        clientCredentials:
          tokenUrl: https://toy.example.test/token
          scopes: {}
    signedKey:
      type: apiKey
      in: header
      name: X-Toy-Key
      x-careforge-signing:
        algorithm: hmac-sha256
        secret: api_secret
        timestamp: unix-seconds
        nonce-bytes: 16
        fields: query-for-get-else-form
        canonical-line: "{key}={value}"
        string-to-sign: ["{timestamp}", "{nonce}", "{method}", "{path}", "{canonical}"]
        signature-header: X-Toy-Signature
        headers:
          X-Toy-Timestamp: "{timestamp}"
          X-Toy-Nonce: "{nonce}"
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        name: {type: string}
    Job:
      type: object
      required: [job_id]
      properties:
        job_id: {type: string}
        state: {type: string}
"""

# The same kind of API under a declared rate limit (the limiter paces every call of a client).
LIMITED = """\
openapi: 3.1.0
info: {title: Limited, version: "1"}
servers:
  - url: https://limited.example.test
x-careforge-rate-limit:
  requests-per-second: 10
  limit-header: X-RateLimit-Limit
  remaining-header: X-RateLimit-Remaining
  reset-header: X-RateLimit-Reset
  reset: epoch-seconds
tags:
  - {name: pings, description: Pings.}
paths:
  /ping:
    get:
      operationId: pings_get
      tags: [pings]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pong"}
    post:
      operationId: pings_send
      tags: [pings]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pong"}
components:
  schemas:
    Pong:
      type: object
      required: [n]
      properties:
        n: {type: integer}
"""
