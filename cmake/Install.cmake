# cmake --install places binaries, plugins, SDK headers, example config and the systemd unit in
# the standard locations (GNUInstallDirs).
set(TTB_INSTALL_PLUGINDIR ${CMAKE_INSTALL_LIBDIR}/ttbridge/plugins)

# The SDK headers are installed by sdk/CMakeLists.txt (component "sdk").
install(DIRECTORY config/ DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/ttbridge
        PATTERN "*.token" EXCLUDE PATTERN ".gitignore" EXCLUDE)
# The unit names /usr/local/bin; an install under another prefix gets its own bin directory.
file(READ ${PROJECT_SOURCE_DIR}/scripts/ttbridged.service _ttb_unit)
string(REPLACE "/usr/local/bin/" "${CMAKE_INSTALL_FULL_BINDIR}/" _ttb_unit "${_ttb_unit}")
file(WRITE ${CMAKE_BINARY_DIR}/ttbridged.service "${_ttb_unit}")
install(FILES ${CMAKE_BINARY_DIR}/ttbridged.service DESTINATION lib/systemd/system)
# The vendor plugins of plugins/ only: tests/ adds plugins of its own (testvendor) that share the
# output directory and must never reach an installation.
get_property(_ttb_plugin_targets GLOBAL PROPERTY TTB_PLUGIN_TARGETS)
foreach(_ttb_plugin ${_ttb_plugin_targets})
  get_target_property(_ttb_plugin_dir ${_ttb_plugin} SOURCE_DIR)
  if(_ttb_plugin_dir MATCHES "^${PROJECT_SOURCE_DIR}/plugins/")
    install(TARGETS ${_ttb_plugin} LIBRARY DESTINATION ${TTB_INSTALL_PLUGINDIR})
  endif()
endforeach()
