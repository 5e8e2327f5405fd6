# ttb_compile_options_under(OPTIONS option... DIRECTORIES dir...)
# Adds the options, PRIVATE, to every target that compiles code in the given directories and in
# their subdirectories. For a flag that one part of the tree needs and the rest should not pay
# for: libFuzzer's coverage on the code the fuzz targets link (top-level CMakeLists.txt), -O1 on
# the Release tree's own test files (tests/CMakeLists.txt). Call it once the directories have
# been added.
function(ttb_compile_options_under)
  cmake_parse_arguments(ARG "" "" "OPTIONS;DIRECTORIES" ${ARGN})
  foreach(dir ${ARG_DIRECTORIES})
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target ${targets})
      get_target_property(type ${target} TYPE)
      if(NOT type STREQUAL "INTERFACE_LIBRARY" AND NOT type STREQUAL "UTILITY")
        target_compile_options(${target} PRIVATE ${ARG_OPTIONS})
      endif()
    endforeach()
    get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    if(subdirs)
      ttb_compile_options_under(OPTIONS ${ARG_OPTIONS} DIRECTORIES ${subdirs})
    endif()
  endforeach()
endfunction()
