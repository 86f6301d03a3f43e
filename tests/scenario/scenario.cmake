# tests/scenario: the reproductions of samples/scenarios/, recorded with the
# real collector and analyzed (label `scenario`).  They change the machine's
# memory state (cgroups, a swap file, page cache), so they hold one lock and
# never run at the same time as each other.  The leak scenario records for
# 6 minutes and is also labelled `slow`.  record-oom and record-psi run
# `memsnap record` through a real OOM kill and real memory pressure.
set(MS_SCENARIOS thrash 240 "" swap 240 "" oom 240 "" leak 600 slow record-oom 240 "" record-psi 240 "")
while(MS_SCENARIOS)
  list(POP_FRONT MS_SCENARIOS name timeout extra)
  add_test(NAME scenario/${name}
           COMMAND env MEMSNAP=$<TARGET_FILE:memsnap> SRC=${PROJECT_SOURCE_DIR}
                   sh ${CMAKE_CURRENT_LIST_DIR}/${name}.sh)
  set(labels scenario)
  if(extra)
    list(APPEND labels ${extra})
  endif()
  set_tests_properties(scenario/${name} PROPERTIES
    LABELS "${labels}" SKIP_RETURN_CODE 77 TIMEOUT ${timeout}
    RESOURCE_LOCK system-memory)
endwhile()

# NUMA: the two-node VM (qemu, as tests/vm), only with the static collector
if(TARGET memsnap-static)
  add_test(NAME scenario/numa-vm
           COMMAND env MEMSNAP=$<TARGET_FILE:memsnap> MEMSNAP_STATIC=$<TARGET_FILE:memsnap-static>
                   SRC=${PROJECT_SOURCE_DIR} sh ${CMAKE_CURRENT_LIST_DIR}/numa-vm.sh)
  set_tests_properties(scenario/numa-vm PROPERTIES
    LABELS "scenario;slow;vm" SKIP_RETURN_CODE 77 TIMEOUT 1500 PROCESSORS 2)
endif()
