# unit.cmake - one executable per tests/unit/test_*.c, one ctest test per TEST().
#
# Included from tests/CMakeLists.txt.  For each test_FOO.c (test_main.c is the
# shared runner, not a test file) this builds `unit_test_FOO` from it and
# test_main.c, linked with every layer (ms_all), then scans the file at configure time for
# lines starting with "TEST(NAME)" and adds:
#
#   unit/test_FOO/NAME    runs `unit_test_FOO NAME`: exit 0 pass, 1 fail,
#                         77 skip (SKIP_RETURN_CODE, so skips show in the summary)
#   unit/test_FOO/--check-list
#                         fails unless the cases registered in the binary are
#                         exactly the ones the scan found (an indented or
#                         macro-generated TEST would otherwise never run)
#
# Every test gets label `unit` (ctest -L unit) and MEMSNAP_FIXTURES pointing at
# tests/fixtures.  A case that demonstrates a bug not fixed yet is written
#     TEST(name) /* BUG file.c:LINE */
# with the explanation in a comment above it: it keeps failing until the bug is
# fixed (then drop the marker), and gets the extra label `known-bug`, so
# `ctest -L known-bug` lists them and `ctest -L unit -LE known-bug` is the
# must-pass set.  Each scanned file is a CMAKE_CONFIGURE_DEPENDS, and the glob
# uses CONFIGURE_DEPENDS, so adding a TEST or a test_*.c file re-runs the scan
# at the next build.

set(MS_UNIT_DIR ${CMAKE_CURRENT_LIST_DIR})
set(MS_UNIT_FIXTURES ${PROJECT_SOURCE_DIR}/tests/fixtures)

file(GLOB MS_UNIT_SOURCES CONFIGURE_DEPENDS ${MS_UNIT_DIR}/test_*.c)
list(REMOVE_ITEM MS_UNIT_SOURCES ${MS_UNIT_DIR}/test_main.c)
list(SORT MS_UNIT_SOURCES)

foreach(src IN LISTS MS_UNIT_SOURCES)
  get_filename_component(stem ${src} NAME_WE)        # test_parse_num
  set(exe unit_${stem})
  add_executable(${exe} ${src} ${MS_UNIT_DIR}/test_main.c)
  target_include_directories(${exe} PRIVATE ${MS_UNIT_DIR})
  target_link_libraries(${exe} PRIVATE ms_all)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})

  file(STRINGS ${src} lines REGEX "^TEST\\(")
  set(cases "")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^TEST\\(([A-Za-z_][A-Za-z0-9_]*)\\)")
      message(FATAL_ERROR "${src}: cannot read the case name in '${line}'")
    endif()
    set(case ${CMAKE_MATCH_1})
    if(case IN_LIST cases)
      message(FATAL_ERROR "${src}: TEST(${case}) is defined twice")
    endif()
    list(APPEND cases ${case})
    set(labels unit)
    if(line MATCHES "^TEST\\([A-Za-z0-9_]+\\)[ \t]*/\\*[ \t]*BUG")
      list(APPEND labels known-bug)
    endif()
    add_test(NAME unit/${stem}/${case} COMMAND ${exe} ${case})
    set_tests_properties(unit/${stem}/${case} PROPERTIES
      LABELS "${labels}"
      SKIP_RETURN_CODE 77
      ENVIRONMENT "MEMSNAP_FIXTURES=${MS_UNIT_FIXTURES}")
  endforeach()
  if(NOT cases)
    message(FATAL_ERROR "${src}: no TEST(name) lines found")
  endif()
  add_test(NAME unit/${stem}/--check-list COMMAND ${exe} --check-list ${cases})
  set_tests_properties(unit/${stem}/--check-list PROPERTIES LABELS unit)
endforeach()
