# One ctest case per tests/e2e/<area>/<name>.sh, run by tests/e2e/run.sh with
# the built binary.  Exit 77 is a skip (shown in ctest's summary).  A case
# with a line "# label: slow" is labelled slow too (.ci/run runs
# it; the fast suite, -LE 'slow|scenario', does not) and given ten minutes.
file(GLOB_RECURSE MS_E2E_CASES CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/e2e/*/*.sh)
foreach(case ${MS_E2E_CASES})
  file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR}/e2e ${case})
  string(REGEX REPLACE "\\.sh$" "" name ${rel})
  add_test(NAME e2e/${name}
           COMMAND env MEMSNAP=$<TARGET_FILE:memsnap> SRC=${PROJECT_SOURCE_DIR} BUILD=${CMAKE_BINARY_DIR}
                   sh ${case})
  set_tests_properties(e2e/${name} PROPERTIES SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 300)
  file(STRINGS ${case} slow REGEX "^# label: slow")
  if(slow)
    set_tests_properties(e2e/${name} PROPERTIES LABELS "e2e;slow" TIMEOUT 600)
  endif()
endforeach()
if(TARGET memsnap-static)
  add_test(NAME e2e/static/binary
           COMMAND env MEMSNAP=$<TARGET_FILE:memsnap-static> SRC=${PROJECT_SOURCE_DIR}
                   sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/static.sh.in)
  set_tests_properties(e2e/static/binary PROPERTIES SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 300)
endif()
# The arm64 static collector under qemu-user; without the cross toolchain the
# test still exists, and fails in CI (CI=true) instead of skipping.
if(TARGET memsnap-static-aarch64)
  set(MS_AARCH64 ${CMAKE_BINARY_DIR}/memsnap-static-aarch64)
else()
  set(MS_AARCH64 "")
endif()
if(TARGET memsnap-static)
  add_test(NAME e2e/static/aarch64
           COMMAND env MEMSNAP=$<TARGET_FILE:memsnap> STATIC=$<TARGET_FILE:memsnap-static>
                   AARCH64=${MS_AARCH64} SRC=${PROJECT_SOURCE_DIR}
                   sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/static-aarch64.sh.in)
  set_tests_properties(e2e/static/aarch64 PROPERTIES SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 300)
endif()
# The static collector under a seccomp filter of Linux 3.10's system calls
if(TARGET memsnap-static)
  add_test(NAME e2e/oldkernel/linux-3.10
           COMMAND env MEMSNAP=$<TARGET_FILE:memsnap> STATIC=$<TARGET_FILE:memsnap-static>
                   SRC=${PROJECT_SOURCE_DIR} sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/oldkernel/linux-3.10.sh.in)
  set_tests_properties(e2e/oldkernel/linux-3.10 PROPERTIES SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 120)
endif()
# The .deb, installed and removed: the release build only (a sanitizer
# build is no package)
if(NOT MEMSNAP_SANITIZE)
  add_test(NAME e2e/install/deb
           COMMAND env MEMSNAP=$<TARGET_FILE:memsnap> SRC=${PROJECT_SOURCE_DIR} BUILD=${CMAKE_BINARY_DIR}
                   sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/install/deb.sh.in)
  set_tests_properties(e2e/install/deb PROPERTIES SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 300)
endif()
