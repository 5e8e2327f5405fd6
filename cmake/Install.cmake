# cmake --install places binaries, plugins, SDK headers, example config and the systemd unit in
# the standard locations (GNUInstallDirs).
set(TTB_INSTALL_PLUGINDIR ${CMAKE_INSTALL_LIBDIR}/ttbridge/plugins)

# The SDK headers are installed by sdk/CMakeLists.txt (component "sdk").
install(DIRECTORY config/ DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/ttbridge
        PATTERN "*.token" EXCLUDE)
# The unit names /usr/local/bin; an install under another prefix gets its own bin directory.
file(READ ${PROJECT_SOURCE_DIR}/scripts/ttbridged.service _ttb_unit)
string(REPLACE "/usr/local/bin/" "${CMAKE_INSTALL_FULL_BINDIR}/" _ttb_unit "${_ttb_unit}")
file(WRITE ${CMAKE_BINARY_DIR}/ttbridged.service "${_ttb_unit}")
install(FILES ${CMAKE_BINARY_DIR}/ttbridged.service DESTINATION lib/systemd/system)
install(DIRECTORY ${TTB_PLUGIN_OUTPUT_DIRECTORY}/ DESTINATION ${TTB_INSTALL_PLUGINDIR}
        OPTIONAL FILES_MATCHING PATTERN "*.so")
