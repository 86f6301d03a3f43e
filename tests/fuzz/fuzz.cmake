# fuzz.cmake - libFuzzer targets, one per tests/fuzz/fuzz_<target>.c.
#
# Included from tests/CMakeLists.txt; does nothing unless the build was
# configured with -DMEMSNAP_FUZZ=ON and clang (the normal build is not
# changed).  bench/fuzz configures and runs this flavour:
#
#   cmake -S . -B build-fuzz -DMEMSNAP_FUZZ=ON -DCMAKE_C_COMPILER=clang \
#         -DMEMSNAP_SANITIZE=address,undefined
#
# The project's layer libraries (MS_LAYERS) get libFuzzer's coverage
# instrumentation, and AddressSanitizer + UndefinedBehaviorSanitizer when
# MEMSNAP_SANITIZE does not already ask for them, so a harness finds what
# the sanitizers see in the code under test.  Each target links
# -fsanitize=fuzzer (libFuzzer's main) and ms_all, like the unit tests.
#
# Tests (label fuzz): fuzz/<target>/corpus runs the target once over every
# file of tests/fuzz/corpus/<target>/ (the seeds and every input that once
# found a bug), and for `rule` over the seeds made at build time from
# rules/ (rule-seeds.sh, into BUILD/fuzz-seeds/rule): a regression test,
# with no fuzzing and no time limit.
if(NOT MEMSNAP_FUZZ)
  return()
endif()
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "MEMSNAP_FUZZ needs clang's libFuzzer: add -DCMAKE_C_COMPILER=clang")
endif()

set(MS_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(ms_fuzz_san "")
if(NOT MEMSNAP_SANITIZE)
  set(ms_fuzz_san ",address,undefined")
  foreach(lib ${MS_LAYERS})
    target_compile_options(${lib} PRIVATE -fno-omit-frame-pointer -fno-sanitize-recover=all)
  endforeach()
endif()
foreach(lib ${MS_LAYERS})
  target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link${ms_fuzz_san})
endforeach()
# whoever links the instrumented libraries (memsnap, the unit tests) needs
# the sanitizer runtimes
target_link_options(ms_common INTERFACE -fsanitize=fuzzer-no-link${ms_fuzz_san})

# the rule target's seeds: the rules themselves, never a copy that drifts
file(GLOB_RECURSE MS_FUZZ_RULE_FIXTURES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/fixtures/rules/*.sql)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/fuzz-seeds/rule.stamp
  COMMAND sh ${MS_FUZZ_DIR}/rule-seeds.sh ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/fuzz-seeds/rule
  COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/fuzz-seeds/rule.stamp
  DEPENDS ${MS_FUZZ_DIR}/rule-seeds.sh ${RULE_FILES} ${MS_FUZZ_RULE_FIXTURES}
  COMMENT "Fuzz seeds from rules/" VERBATIM)
add_custom_target(fuzz_seeds_rule DEPENDS ${CMAKE_BINARY_DIR}/fuzz-seeds/rule.stamp)

file(GLOB MS_FUZZ_SOURCES CONFIGURE_DEPENDS ${MS_FUZZ_DIR}/fuzz_*.c)
list(SORT MS_FUZZ_SOURCES)
foreach(src IN LISTS MS_FUZZ_SOURCES)
  get_filename_component(target ${src} NAME_WE)     # fuzz_smaps
  string(REGEX REPLACE "^fuzz_" "" name ${target})  # smaps
  add_executable(${target} ${src})
  target_include_directories(${target} PRIVATE ${MS_FUZZ_DIR})
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer${ms_fuzz_san})
  target_link_options(${target} PRIVATE -fsanitize=fuzzer${ms_fuzz_san})
  target_link_libraries(${target} PRIVATE ms_all)
  set(corpus ${MS_FUZZ_DIR}/corpus/${name})
  if(NOT IS_DIRECTORY ${corpus})
    message(FATAL_ERROR "${src}: no seed corpus ${corpus}")
  endif()
  set(seeds "")
  if(TARGET fuzz_seeds_${name})
    add_dependencies(${target} fuzz_seeds_${name})
    set(seeds ${CMAKE_BINARY_DIR}/fuzz-seeds/${name})
  endif()
  add_test(NAME fuzz/${name}/corpus COMMAND ${target} -runs=0 ${corpus} ${seeds})
  set_tests_properties(fuzz/${name}/corpus PROPERTIES LABELS fuzz TIMEOUT 300
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endforeach()
