# static.cmake - memsnap-static: the collector's commands (collect, info, redact),
# compiled for size from the same sources, with the include folders of
# their layers only, linked fully static and stripped.  Used by the main
# build and by the collector-only build (MEMSNAP_COLLECTOR_ONLY, the arm64
# cross build), with the static libraries of the target architecture.
if(NOT MEMSNAP_STATIC)
  return()
endif()
find_library(ARCHIVE_STATIC NAMES libarchive.a)
find_library(ZSTD_STATIC NAMES libzstd.a)
if(NOT (ARCHIVE_STATIC AND ZSTD_STATIC))
  if("$ENV{MEMSNAP_REQUIRE}" STREQUAL "1")
    message(FATAL_ERROR "libarchive.a or libzstd.a not found, and MEMSNAP_REQUIRE=1: "
                        "the static collector and its tests are required")
  endif()
  message(WARNING "libarchive.a or libzstd.a not found: no memsnap-static")
  return()
endif()
add_executable(memsnap-static ${CLI_COLLECTOR_SRC} ${COMMON_SRC} ${COLLECT_SRC} ${INFO_SRC})
target_include_directories(memsnap-static PRIVATE cli common collect analyze/info
                           ${CMAKE_BINARY_DIR}/gen ${LIBARCHIVE_INCLUDE_DIRS} ${ZSTD_INCLUDE_DIRS})
target_compile_options(memsnap-static PRIVATE -Os -ffunction-sections -fdata-sections)
target_link_options(memsnap-static PRIVATE -static -s -Wl,--gc-sections)
target_compile_definitions(memsnap-static PRIVATE MEMSNAP_COLLECTOR_ONLY)
target_link_libraries(memsnap-static PRIVATE ${ARCHIVE_STATIC} ${ZSTD_STATIC})
