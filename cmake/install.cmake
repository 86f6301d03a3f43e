# install.cmake - what `cmake --install` puts where (prefix and DESTDIR
# honoured), the man pages it builds, and the .deb (`cpack -G DEB`).
#
#   bin/memsnap                           the program
#   lib/memsnap/memsnap-static            the static collector (to copy to a host)
#   lib/memsnap/memsnap-static-aarch64    ... for arm64, when cross-built
#   lib/memsnap/memsnap_stats.so          the statistics as an SQLite extension
#   share/man/man1/memsnap*.1             from docs/man/*.scd (scdoc)
#   share/bash-completion/completions/memsnap, share/zsh/vendor-completions/_memsnap
#   lib/systemd/system/memsnap-record.service   (dist/)
#   share/doc/memsnap/                    README.md and docs/
# The rules and the schema are embedded in the program: not installed.
include(GNUInstallDirs)
set(MEMSNAP_PKGLIBDIR lib/memsnap)

install(TARGETS memsnap RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS memsnap_stats LIBRARY DESTINATION ${MEMSNAP_PKGLIBDIR})
if(TARGET memsnap-static)
  install(TARGETS memsnap-static RUNTIME DESTINATION ${MEMSNAP_PKGLIBDIR})
endif()
if(TARGET memsnap-static-aarch64)
  install(PROGRAMS ${CMAKE_BINARY_DIR}/memsnap-static-aarch64 DESTINATION ${MEMSNAP_PKGLIBDIR})
endif()

# man pages: docs/man/NAME.1.scd -> build/man/NAME.1
find_program(SCDOC scdoc)
file(GLOB MAN_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/*.1.scd)
if(SCDOC)
  set(MAN_PAGES "")
  foreach(src ${MAN_SOURCES})
    get_filename_component(page ${src} NAME_WLE)
    add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/man/${page}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
      COMMAND sh -c "${SCDOC} < '${src}' > '${CMAKE_BINARY_DIR}/man/${page}'"
      DEPENDS ${src} COMMENT "scdoc ${page}" VERBATIM)
    list(APPEND MAN_PAGES ${CMAKE_BINARY_DIR}/man/${page})
  endforeach()
  add_custom_target(man ALL DEPENDS ${MAN_PAGES})
  install(FILES ${MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "scdoc not found: no man pages (sh .ci/install-deps installs it)")
endif()

install(FILES ${PROJECT_SOURCE_DIR}/dist/completion/memsnap.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME memsnap)
install(FILES ${PROJECT_SOURCE_DIR}/dist/completion/_memsnap
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# The recorder's unit (the recorder writes it; until then there is none)
set(MEMSNAP_UNIT ${PROJECT_SOURCE_DIR}/dist/memsnap-record.service)
if(EXISTS ${MEMSNAP_UNIT})
  install(FILES ${MEMSNAP_UNIT} DESTINATION lib/systemd/system)
endif()

install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        PATTERN man EXCLUDE)

# --- the .deb: cpack -G DEB in the build directory ---
set(CPACK_PACKAGE_NAME memsnap)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "memsnap maintainers <memsnap@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "post-mortem memory snapshot collector and offline analyzer")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "memsnap collect records a Linux host's memory state (/proc, /sys, memory\n"
    "cgroups, processes) into a crash-safe tar.zst bundle, and memsnap analyze\n"
    "loads it into SQLite and runs rules that find leaks, page-cache thrash, NUMA\n"
    "imbalance, swap storms, OOM risk and fragmentation. Ships a static collector\n"
    "to copy to production hosts.")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)    # Depends: from dpkg-shlibdeps
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # memsnap_VERSION_ARCH.deb
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# the static collectors are stripped when linked (and an arm64 one is no
# file for the host strip); the rest is built with -g
set(CPACK_STRIP_FILES bin/memsnap ${MEMSNAP_PKGLIBDIR}/memsnap_stats.so)
set(CPACK_GENERATOR DEB)
include(CPack)
