# ctest script: install the SDK component of the build tree into a temporary prefix, build
# sdk/template out of tree against it (find_package(ttbridge-sdk)), and run the conformance kit
# on the result. Inputs: BUILD_DIR, TEMPLATE_DIR, WORK_DIR, CHECK, GENERATOR, CXX, CONFIG.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${WORK_DIR}/prefix)
foreach(f include/ttbridge/plugin.h include/ttbridge/plugin.hpp
          share/doc/ttbridge-sdk-dev/plugin-guide.md share/doc/ttbridge-sdk-dev/plugin-abi.md)
  if(NOT EXISTS ${WORK_DIR}/prefix/${f})
    message(FATAL_ERROR "the sdk component did not install ${f}")
  endif()
endforeach()
# The installed docs are read where they are installed, two files alone: a relative link may only
# point at one of them (an anchor after it is fine), or it leads nowhere.
foreach(doc plugin-guide.md plugin-abi.md)
  file(READ ${WORK_DIR}/prefix/share/doc/ttbridge-sdk-dev/${doc} text)
  string(REGEX MATCHALL "\\]\\([^)]*\\)" links "${text}")
  foreach(link IN LISTS links)
    string(REGEX REPLACE "^\\]\\(([^)#]*).*\\)$" "\\1" target "${link}")
    if(target STREQUAL "" OR target MATCHES "^(https?:|mailto:)" OR target MATCHES " "
       OR target STREQUAL "plugin-guide.md" OR target STREQUAL "plugin-abi.md")
      continue()
    endif()
    message(FATAL_ERROR "the installed ${doc} links to ${target}, which is not installed beside it")
  endforeach()
endforeach()
# A fresh, independent project: nothing from the ttbridge tree but the installed prefix.
run(${CMAKE_COMMAND} -S ${TEMPLATE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Debug
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_MODULE_LINKER_FLAGS=${LINK_FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
if(NOT EXISTS ${WORK_DIR}/build/example.so)
  message(FATAL_ERROR "the template did not produce example.so")
endif()
run(${CHECK} ${WORK_DIR}/build/example.so --config ${CONFIG})
