# TTB_FUZZ adds the libFuzzer targets of tests/fuzz/ (docs/security.md, "Fuzzing"). It needs
# clang (libFuzzer ships with it), and every library the targets link is instrumented for
# coverage (-fsanitize=fuzzer-no-link; the top-level CMakeLists.txt adds it once the targets are
# defined) and checked by ASan and UBSan. Two trees do that:
#   the test command's sanitizer tree (clang-14, TTB_SANITIZE=address, tests and fuzz targets):
#     CC=clang-14 CXX=clang++-14 cmake -S . -B build/asan -G Ninja -DTTB_SANITIZE=address -DTTB_FUZZ=ON
#   a tree of the fuzz targets alone, which scripts/fuzz configures when it is given no other:
#     CC=clang-14 CXX=clang++-14 cmake -S . -B build/fuzz -G Ninja -DTTB_FUZZ=ON -DBUILD_TESTING=OFF
option(TTB_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only)" OFF)

if(TTB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TTB_FUZZ needs clang (CC=clang-14 CXX=clang++-14), not "
                        "${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(TTB_SANITIZE STREQUAL "")
    # UBSan findings abort like ASan's, so libFuzzer keeps the input that caused them.
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
  elseif(NOT TTB_SANITIZE STREQUAL "address")
    # cmake/Sanitizers.cmake already adds ASan+UBSan (recover off) for "address".
    message(FATAL_ERROR "TTB_FUZZ runs under ASan+UBSan: TTB_SANITIZE must be address or empty, "
                        "not ${TTB_SANITIZE}")
  endif()
endif()
