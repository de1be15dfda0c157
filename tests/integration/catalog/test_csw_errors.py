"""Bad CSW requests get a (schema-valid) OWS ExceptionReport with the right exceptionCode
and a 4xx status, never a 500; the server is still there afterwards."""
from __future__ import annotations

import pytest

from csw_support import assert_exception, kvp, post
from support import http_session

CSW_NS = 'xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:ogc="http://www.opengis.net/ogc"'


def get_records_with(filter_body: str) -> str:
    return (f'<csw:GetRecords {CSW_NS} service="CSW" version="2.0.2" resultType="results">'
            '<csw:Query typeNames="csw:Record"><csw:ElementSetName>brief</csw:ElementSetName>'
            f'<csw:Constraint version="1.1.0"><ogc:Filter>{filter_body}</ogc:Filter></csw:Constraint>'
            '</csw:Query></csw:GetRecords>')


def like(property_name: str, literal: str = "%x%") -> str:
    return (f"<ogc:PropertyIsLike wildCard='%' singleChar='_' escapeChar='\\'><ogc:PropertyName>{property_name}"
            f"</ogc:PropertyName><ogc:Literal>{literal}</ogc:Literal></ogc:PropertyIsLike>")


def test_a_filter_with_an_external_entity_is_refused(csw):
    body = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + get_records_with(like("csw:AnyText", "&xxe;")))
    text = assert_exception(post(csw, body), 400, "OperationParsingFailed")
    assert "DOCTYPE" in text and "root:" not in text


def test_entity_expansion_is_refused(csw):
    body = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            + get_records_with(like("csw:AnyText", "&b;")))
    assert_exception(post(csw, body), 400, "OperationParsingFailed")


def test_an_undeclared_entity_is_refused(csw):
    assert_exception(post(csw, get_records_with(like("csw:AnyText", "&xxe;"))), 400, "OperationParsingFailed")


def test_max_records_is_bounded(csw):
    text = assert_exception(kvp(csw, request="GetRecords", typeNames="csw:Record", resultType="results",
                                maxRecords="100000000"), 400, "InvalidParameterValue", "maxRecords")
    assert "5000" in text


@pytest.mark.parametrize("name", ["apiso:NoSuchThing", "dc:title/../secret", "csw:Record/dc:title[1]",
                                  "exec(java.lang.Runtime.getRuntime(),'id')", "/*"])
def test_unknown_queryables_and_xpath_are_refused(csw, name):
    text = assert_exception(post(csw, get_records_with(like(name))), 400, "InvalidParameterValue", "Constraint")
    assert "queryable" in text or "property" in text


def test_unknown_queryable_in_cql(csw):
    assert_exception(kvp(csw, request="GetRecords", typeNames="csw:Record", constraintLanguage="CQL_TEXT",
                         constraint="apiso:Secret = 'x'"), 400, "InvalidParameterValue", "Constraint")


def test_an_apostrophe_is_data(csw):
    response = kvp(csw, request="GetRecords", typeNames="csw:Record", resultType="results",
                   constraintLanguage="CQL_TEXT", constraint="csw:AnyText LIKE '%O''Brien%'")
    assert response.status_code == 200, response.text[:500]
    assert 'numberOfRecordsMatched="0"' in response.text


@pytest.mark.parametrize("params,code,locator", [
    ({"request": "GetRecords"}, "MissingParameterValue", "typeNames"),
    ({"request": "GetRecords", "typeNames": "csw:Nothing"}, "InvalidParameterValue", "typeNames"),
    ({"request": "GetRecords", "typeNames": "csw:Record", "outputSchema": "urn:x"}, "InvalidParameterValue",
     "outputSchema"),
    ({"request": "GetRecords", "typeNames": "csw:Record", "elementSetName": "huge"}, "InvalidParameterValue",
     "ElementSetName"),
    ({"request": "GetRecords", "typeNames": "csw:Record", "startPosition": "0"}, "InvalidParameterValue",
     "startPosition"),
    ({"request": "GetRecords", "typeNames": "csw:Record", "constraint": "x"}, "MissingParameterValue",
     "CONSTRAINTLANGUAGE"),
    ({"request": "GetRecords", "typeNames": "csw:Record", "sortBy": "apiso:Abstract:A"}, "InvalidParameterValue",
     "SortBy"),
    ({"request": "GetRecordById"}, "MissingParameterValue", "Id"),
    ({"request": "GetDomain", "propertyName": "apiso:Abstract"}, "InvalidParameterValue", "PropertyName"),
    ({"request": "Harvest"}, None, None),
    ({"request": "NoSuchOperation"}, "OperationNotSupported", "NoSuchOperation"),
])
def test_bad_parameters(csw, params, code, locator):
    response = kvp(csw, **params)
    if code is None:  # Harvest: refused without credentials
        assert_exception(response, 401, "Unauthorized")
    else:
        assert_exception(response, 400, code, locator)


def test_wrong_version_and_service(csw):
    assert_exception(kvp(csw, request="GetRecords", typeNames="csw:Record", version="3.0.0"), 400,
                     "InvalidParameterValue", "version")
    assert_exception(kvp(csw, request="GetCapabilities", service="WFS"), 400, "InvalidParameterValue", "service")
    assert_exception(kvp(csw, request="GetCapabilities", acceptVersions="3.0.0"), 400, "VersionNegotiationFailed")


def test_anonymous_transaction_is_refused(csw):
    body = (f'<csw:Transaction {CSW_NS} service="CSW" version="2.0.2"><csw:Delete typeName="csw:Record">'
            '<csw:Constraint version="1.1.0"><ogc:Filter>' + like("dc:identifier", "%") +
            '</ogc:Filter></csw:Constraint></csw:Delete></csw:Transaction>')
    response = post(csw, body)
    assert_exception(response, 401, "Unauthorized")
    assert "WWW-Authenticate" in response.headers
    response = http_session().post(csw.url, data=body, timeout=60,
                                   headers={"Content-Type": "application/xml", "Authorization": "Bearer nope"})
    assert_exception(response, 401, "Unauthorized")


def test_an_editors_transaction_may_not_delete_other_countries_records(csw):
    """A Transaction is a change set under review (test_catalog_editing.py); one that would
    delete every record, most of them other member states', is refused whole."""
    body = (f'<csw:Transaction {CSW_NS} service="CSW" version="2.0.2"><csw:Delete typeName="csw:Record">'
            '<csw:Constraint version="1.1.0"><ogc:Filter>' + like("dc:identifier", "%") +
            '</ogc:Filter></csw:Constraint></csw:Delete></csw:Transaction>')
    response = http_session().post(csw.url, data=body, timeout=60, headers={
        "Content-Type": "application/xml", "Authorization": f"Bearer {csw.editor_token}"})
    assert response.status_code == 403, response.text
    assert "an editor for THA may not change a record of" in response.text
    assert 'numberOfRecordsMatched="10050"' in kvp(csw, request="GetRecords", typeNames="csw:Record").text


def test_malformed_xml_and_wrong_root(csw):
    assert_exception(post(csw, "<csw:GetRecords"), 400, "OperationParsingFailed")
    assert_exception(post(csw, f'<csw:GetRecords {CSW_NS} service="CSW" version="2.0.2"/>'), 400,
                     "OperationParsingFailed", "Query")
    assert_exception(post(csw, "<x/>"), 400, "MissingParameterValue", "service")


def test_server_still_answers(csw):
    assert kvp(csw, request="GetCapabilities").status_code == 200
    assert csw.server.alive()
