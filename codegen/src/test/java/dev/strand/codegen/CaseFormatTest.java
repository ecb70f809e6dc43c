package dev.strand.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaseFormatTest {

  @Test
  void fileClassNamesFollowProtoc() {
    // Each expectation was checked against the class protoc 4.36.2 writes for that file name.
    assertEquals("WeirdName2X3Y", CaseFormat.fileClassName("a/b/weird-name_2x3y.proto"));
    assertEquals("WeirdUpper", CaseFormat.fileClassName("WeirdUpper.proto"));
    assertEquals("RouteGuide", CaseFormat.fileClassName("route_guide.proto"));
    assertEquals("Edition2024", CaseFormat.fileClassName("editions/edition2024.proto"));
    assertEquals("Old", CaseFormat.fileClassName("old.protodevel"));
  }

  @Test
  void methodNamesAreLowerCamel() {
    assertEquals("getFeature", CaseFormat.lowerCamel("GetFeature"));
    assertEquals("httpGet", CaseFormat.lowerCamel("HTTPGet"));
    assertEquals("getHttpStatus", CaseFormat.lowerCamel("GetHTTPStatus"));
    assertEquals("listAll", CaseFormat.lowerCamel("list_all"));
    assertEquals("v2Call", CaseFormat.lowerCamel("V2Call"));
    assertEquals("url", CaseFormat.lowerCamel("URL"));
  }

  @Test
  void constantsAreUpperSnake() {
    assertEquals("GET_FEATURE", CaseFormat.upperSnake("GetFeature"));
    assertEquals("HTTP_GET", CaseFormat.upperSnake("HTTPGet"));
    assertEquals("LIST_ALL", CaseFormat.upperSnake("list_all"));
    assertEquals(List.of("Get", "HTTP", "Status"), CaseFormat.words("GetHTTPStatus"));
  }
}
