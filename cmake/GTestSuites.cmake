# ttbridge_add_gtest_suites(TARGET [TEST_FILTER filter] [NAME_SUFFIX suffix]
#                           [PROPERTIES name value ...])
#
# One ctest test per GoogleTest suite of TARGET, named after the suite, that runs the binary with
# a filter naming that suite's tests (those TEST_FILTER leaves). The suites are listed when ctest
# runs, from the built binary (as gtest_discover_tests' PRE_TEST mode lists tests), so a new suite
# or test needs no line here.
#
# gtest_discover_tests makes one process per test. For the integration tests that started the
# daemon (and its fakes) again for every test, also where a suite starts them once for all its
# tests (SetUpTestSuite), and the 300 MB binary again: 293 s of the sanitizer stage's CPU against
# 147 s for the same tests in one process (docs/building.md, "The sanitizer stage's tests").
# TEST_FILTER is a gtest filter; NAME_SUFFIX is appended to each test's name (for a second call
# whose filter leaves other tests of the same suites); PROPERTIES go to every suite's test.
function(ttbridge_add_gtest_suites target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TEST_FILTER;NAME_SUFFIX" "PROPERTIES")
  if(NOT arg_TEST_FILTER)
    set(arg_TEST_FILTER "*")
  endif()
  # Each call writes a script of its own: a binary may be registered twice with two filters.
  get_property(calls TARGET ${target} PROPERTY TTB_GTEST_SUITE_CALLS)
  if(NOT calls)
    set(calls 0)
  endif()
  math(EXPR calls "${calls} + 1")
  set_property(TARGET ${target} PROPERTY TTB_GTEST_SUITE_CALLS ${calls})
  set(script "${CMAKE_CURRENT_BINARY_DIR}/${target}_suites_${calls}.cmake")

  # The properties, each as a bracket argument: values with `;` or `=` stay whole.
  set(properties "")
  foreach(item IN LISTS arg_PROPERTIES)
    string(APPEND properties " [==[${item}]==]")
  endforeach()
  set(set_properties "")
  if(properties)
    set(set_properties
        "  set_tests_properties(\"\${suite}${arg_NAME_SUFFIX}\" PROPERTIES${properties})\n")
  endif()

  file(GENERATE OUTPUT "${script}" CONTENT
"set(binary [==[$<TARGET_FILE:${target}>]==])
if(NOT EXISTS \"\${binary}\")
  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)
  return()
endif()
execute_process(COMMAND \"\${binary}\" --gtest_list_tests [==[--gtest_filter=${arg_TEST_FILTER}]==]
                OUTPUT_VARIABLE listing ERROR_VARIABLE error RESULT_VARIABLE status TIMEOUT 60)
if(NOT status EQUAL 0)
  message(FATAL_ERROR \"\${binary} --gtest_list_tests failed (\${status}): \${error}\")
endif()
string(REPLACE \"\\n\" \";\" lines \"\${listing}\")
set(suites \"\")
foreach(line IN LISTS lines)
  # A suite's line starts in column 0 (\"Suite.\", or \"Prefix/Suite.  # TypeParam = ...\"), its
  # tests' lines below it are indented (\"  Test\", or \"  Test/0  # GetParam() = ...\").
  if(line MATCHES \"^([^ #][^ ]*)\\\\.\")
    set(suite \"\${CMAKE_MATCH_1}\")
    list(APPEND suites \"\${suite}\")
  elseif(line MATCHES \"^  ([^ #]+)\")
    # The suite's own filter names its tests one by one: TEST_FILTER may have left some out.
    list(APPEND \"tests_of_\${suite}\" \"\${suite}.\${CMAKE_MATCH_1}\")
  endif()
endforeach()
# Every script is included in one scope: what one leaves set, the next would append to.
foreach(suite IN LISTS suites)
  list(JOIN \"tests_of_\${suite}\" \":\" filter)
  unset(\"tests_of_\${suite}\")
  add_test(\"\${suite}${arg_NAME_SUFFIX}\" \"\${binary}\" \"--gtest_filter=\${filter}\")
${set_properties}endforeach()
")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${script}")
endfunction()
