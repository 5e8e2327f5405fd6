# The dependency direction of the engine, checked every time the build is configured.
#
# ttb_check_layers(LAYERS l1 l2 ... CORE_DIR dir PLUGINS_DIR dir) fails the configure step when
#   - a target of core/ links a core target of a layer listed after its own ("above" it), or
#   - a target of plugins/ links any target of core/ (plugins are built against sdk/ alone).
# A target's layer is <name> for a target named ttb_<name> when <name> is a listed layer
# (ttb_provider_api lives in core/plugins/ but is a layer of its own); otherwise it is the folder of
# core/ it is defined in (ttb_cli and the executables of core/app/ are in layer "app").
# With TTB_LAYER_GRAPH set to a path, the configure step also writes the graph there, one
# "target -> target" edge per line, for docs/architecture.md.

function(_ttb_layer_of target core_dir layers out)
  set(layer "")
  if(TARGET ${target})
    get_target_property(aliased ${target} ALIASED_TARGET)
    if(aliased)
      set(target ${aliased})
    endif()
    string(REGEX REPLACE "^ttb_" "" short "${target}")
    get_target_property(dir ${target} SOURCE_DIR)
    if(NOT short STREQUAL target AND short IN_LIST layers)
      set(layer ${short})
    elseif(dir MATCHES "^${core_dir}/([^/]+)")
      set(layer ${CMAKE_MATCH_1})
    endif()
  endif()
  set(${out} "${layer}" PARENT_SCOPE)
endfunction()

# The targets that `target` links, directly, as written in target_link_libraries.
function(_ttb_direct_links target out)
  set(result "")
  foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(items ${target} ${property})
    if(NOT items)
      continue()
    endif()
    foreach(item IN LISTS items)
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" item "${item}")
      if(TARGET ${item})
        get_target_property(aliased ${item} ALIASED_TARGET)
        if(aliased)
          set(item ${aliased})
        endif()
        list(APPEND result ${item})
      endif()
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES result)
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

function(_ttb_targets_under dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    _ttb_targets_under(${sub} more)
    list(APPEND targets ${more})
  endforeach()
  set(${out} "${targets}" PARENT_SCOPE)
endfunction()

function(ttb_check_layers)
  cmake_parse_arguments(ARG "" "CORE_DIR;PLUGINS_DIR" "LAYERS" ${ARGN})
  set(problems "")
  set(edges "")

  _ttb_targets_under(${ARG_CORE_DIR} core_targets)
  foreach(target IN LISTS core_targets)
    _ttb_layer_of(${target} ${ARG_CORE_DIR} "${ARG_LAYERS}" layer)
    list(FIND ARG_LAYERS "${layer}" rank)
    if(rank EQUAL -1)
      list(APPEND problems "${target} is in core/${layer}/, which core/CMakeLists.txt does not list")
      continue()
    endif()
    _ttb_direct_links(${target} links)
    foreach(linked IN LISTS links)
      _ttb_layer_of(${linked} ${ARG_CORE_DIR} "${ARG_LAYERS}" linked_layer)
      if(linked_layer STREQUAL "")
        continue()  # a library from outside core/ (sdk/, Debian's packages)
      endif()
      list(APPEND edges "${target} -> ${linked}")
      list(FIND ARG_LAYERS "${linked_layer}" linked_rank)
      if(linked_rank GREATER rank)
        list(APPEND problems
             "${target} (layer ${layer}) links ${linked} (layer ${linked_layer}), which is above it")
      endif()
    endforeach()
  endforeach()

  _ttb_targets_under(${ARG_PLUGINS_DIR} plugin_targets)
  foreach(target IN LISTS plugin_targets)
    _ttb_direct_links(${target} links)
    foreach(linked IN LISTS links)
      _ttb_layer_of(${linked} ${ARG_CORE_DIR} "${ARG_LAYERS}" linked_layer)
      if(NOT linked_layer STREQUAL "")
        list(APPEND problems
             "plugin target ${target} links the core target ${linked}; plugins may use sdk/ only")
      endif()
    endforeach()
  endforeach()

  if(TTB_LAYER_GRAPH)
    list(SORT edges)
    list(JOIN edges "\n" text)
    file(WRITE ${TTB_LAYER_GRAPH} "${text}\n")
  endif()
  if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "The dependency direction is broken (layers, lowest first: "
                        "${ARG_LAYERS}):\n  ${text}\nA layer may link only layers listed before it "
                        "in core/CMakeLists.txt; see docs/architecture.md.")
  endif()
endfunction()
