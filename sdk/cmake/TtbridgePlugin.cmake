# ttbridge_add_plugin(<name> <sources>...): builds <name>.so, a ttbridge plugin: a MODULE
# library without the "lib" prefix, linked to ttbridge::sdk, with hidden visibility and a linker
# version script so that only ttb_plugin_entry is exported. Used in the ttbridge tree and, after
# find_package(ttbridge-sdk), by partners.
set(TTBRIDGE_SDK_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/ttbridge-plugin.map"
    CACHE INTERNAL "ttbridge plugin linker version script")

function(ttbridge_add_plugin name)
  if(NOT ARGN)
    message(FATAL_ERROR "ttbridge_add_plugin(${name} ...): no source files given")
  endif()
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE ttbridge::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    target_link_options(${name} PRIVATE "LINKER:--version-script=${TTBRIDGE_SDK_VERSION_SCRIPT}")
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${TTBRIDGE_SDK_VERSION_SCRIPT}")
  endif()
endfunction()
