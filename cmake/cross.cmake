# cross.cmake - memsnap-static-aarch64: the static collector for arm64,
# cross-built with Debian's toolchain (gcc-aarch64-linux-gnu) against the
# arm64 static libarchive and zstd that multiarch installs
# (libarchive-dev:arm64, libzstd-dev:arm64; `sh .ci/install-deps cross`).
# A second CMake build of this source tree, collector only, in
# build/aarch64, with cmake/aarch64-linux-gnu.cmake as its toolchain; the
# binary is copied to build/memsnap-static-aarch64.  The target exists only
# when the toolchain and the libraries are there, and is then part of the
# default build: `cmake --build build` builds both collectors.
set(MS_AARCH64_LIBDIR /usr/lib/aarch64-linux-gnu)
find_program(AARCH64_CC aarch64-linux-gnu-gcc)
if(NOT MEMSNAP_STATIC OR NOT AARCH64_CC OR NOT EXISTS ${MS_AARCH64_LIBDIR}/libarchive.a
   OR NOT EXISTS ${MS_AARCH64_LIBDIR}/libzstd.a)
  return()
endif()
include(ExternalProject)
ExternalProject_Add(memsnap-static-aarch64
  SOURCE_DIR ${PROJECT_SOURCE_DIR}
  BINARY_DIR ${CMAKE_BINARY_DIR}/aarch64
  CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/aarch64-linux-gnu.cmake
             -DMEMSNAP_COLLECTOR_ONLY=ON -DMEMSNAP_WERROR=${MEMSNAP_WERROR}
             -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
  INSTALL_COMMAND ${CMAKE_COMMAND} -E copy <BINARY_DIR>/memsnap-static
                  ${CMAKE_BINARY_DIR}/memsnap-static-aarch64
  BUILD_ALWAYS ON   # the sub-build is incremental: it sees source changes
  BUILD_BYPRODUCTS ${CMAKE_BINARY_DIR}/memsnap-static-aarch64)
