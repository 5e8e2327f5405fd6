# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS, cmake/Package.cmake): CPACK_STRIP_FILES has
# stripped the staged programs and plugins; this also drops the compiler's .comment and the .note
# section, as Debian's dh_strip does (lintian: binary-has-unneeded-section). Build-id notes stay.

file(GLOB_RECURSE _files LIST_DIRECTORIES false "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*")
foreach(_file ${_files})
  if(IS_SYMLINK "${_file}")
    continue()
  endif()
  file(READ "${_file}" _magic LIMIT 4 HEX)
  if(_magic STREQUAL "7f454c46")  # "\x7fELF"
    execute_process(COMMAND "${CPACK_TTB_OBJCOPY}" --remove-section=.comment --remove-section=.note
                            "${_file}" RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "objcopy failed on ${_file}")
    endif()
  endif()
endforeach()
