# tests/vm: memsnap-static on a real 2-node NUMA kernel (Debian 6.1 under qemu
# TCG); see tests/vm/README.md.  Skipped (exit 77) when qemu-system-x86_64,
# static busybox, zstd or the kernel .deb is not available.  Select or leave
# out with `ctest -L vm` / `ctest -LE vm`.
if(TARGET memsnap-static)
  add_test(NAME vm/numa-collect
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/numa-collect.sh
                   $<TARGET_FILE:memsnap-static> $<TARGET_FILE:memsnap>)
  set_tests_properties(vm/numa-collect PROPERTIES
    LABELS "vm;slow"
    SKIP_RETURN_CODE 77
    TIMEOUT 600
    # qemu runs one host thread per vCPU (2)
    PROCESSORS 2
    # bundles, VM console and logs of the last run stay here for inspection
    ENVIRONMENT "MEMSNAP_VM_OUT=${CMAKE_CURRENT_BINARY_DIR}/vm-numa-collect")
endif()
