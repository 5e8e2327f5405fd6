# TTB_SANITIZE selects the sanitizer build: "address" (ASan+UBSan), "thread" (TSan) or empty.
# Every target, plugins included, is built with the same flags: an instrumented host and an
# uninstrumented plugin would miss half the reports (docs/building.md, "Sanitizers cover every
# target").
set(TTB_SANITIZE "" CACHE STRING "Sanitizer build: address | thread | (empty)")

if(TTB_SANITIZE STREQUAL "address")
  set(_ttb_san_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
elseif(TTB_SANITIZE STREQUAL "thread")
  set(_ttb_san_flags -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT TTB_SANITIZE STREQUAL "")
  message(FATAL_ERROR "TTB_SANITIZE must be 'address', 'thread' or empty, not '${TTB_SANITIZE}'")
endif()

if(_ttb_san_flags)
  add_compile_options(${_ttb_san_flags})
  add_link_options(${_ttb_san_flags})
endif()
