# TTB_FUZZ adds the libFuzzer targets of tests/fuzz/ (docs/security.md, "Fuzzing"). It needs
# clang (libFuzzer ships with it) and its own build tree, because every library the targets link
# is instrumented for coverage (-fsanitize=fuzzer-no-link) and checked by ASan and UBSan:
#   CC=clang-14 CXX=clang++-14 cmake -S . -B build/fuzz -G Ninja -DTTB_FUZZ=ON -DBUILD_TESTING=OFF
# scripts/fuzz does exactly that and runs each target.
option(TTB_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only)" OFF)

if(TTB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TTB_FUZZ needs clang (CC=clang-14 CXX=clang++-14), not "
                        "${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(NOT TTB_SANITIZE STREQUAL "")
    message(FATAL_ERROR "TTB_FUZZ brings its own sanitizers; leave TTB_SANITIZE empty")
  endif()
  # UBSan findings abort like ASan's, so libFuzzer keeps the input that caused them.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
