"""A feature spec with files both ways: a multipart upload, a raw upload and a download (OpenAPI 3.1)."""

from __future__ import annotations

FILES_MODULE = "rt_files_client"

FILES = """\
openapi: 3.1.0
info: {title: Files, version: "1"}
servers:
  - url: https://files.example.test
tags:
  - {name: documents, description: Documents.}
paths:
  /documents:
    post:
      operationId: documents_upload
      x-careforge-retry-safe: true  # so the resend rules of file parts are tested
      tags: [documents]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, contentMediaType: application/pdf}
                attachments:
                  type: array
                  items: {type: string, contentMediaType: application/octet-stream}
                title: {type: string}
                scans:
                  type: array
                  items: {type: string, contentMediaType: image/png}
            encoding:
              file: {contentType: "application/pdf, image/png"}
              scans: {contentType: "image/*"}
      responses:
        "201":
          description: stored
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string}
  /documents/{document_id}/picture:
    parameters:
      - {name: document_id, in: path, required: true, schema: {type: string}}
    put:
      operationId: documents_replace_picture
      tags: [documents]
      requestBody:
        required: true
        content:
          image/*: {}
      responses:
        "204": {description: stored}
  /documents/{document_id}/thumbnail:
    parameters:
      - {name: document_id, in: path, required: true, schema: {type: string}}
    put:
      operationId: documents_replace_thumbnail
      tags: [documents]
      requestBody:
        required: true
        content:
          image/png:
            schema: {type: string, contentMediaType: image/png, contentEncoding: base64}
      responses:
        "204": {description: stored}
  /documents/{document_id}/signature:
    parameters:
      - {name: document_id, in: path, required: true, schema: {type: string}}
    post:
      operationId: documents_sign
      tags: [documents]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [signature]
              properties:
                signature: {type: string, format: binary}
      responses:
        "204": {description: signed}
  /documents/{document_id}/content:
    parameters:
      - {name: document_id, in: path, required: true, schema: {type: string}}
    put:
      operationId: documents_replace_content
      tags: [documents]
      requestBody:
        required: true
        content:
          application/octet-stream: {}
      responses:
        "204": {description: stored}
    get:
      operationId: documents_download
      tags: [documents]
      responses:
        "200":
          description: the file
          content:
            application/pdf: {}
"""
