# cmake --install places binaries, plugins, SDK headers, example config and the systemd unit in
# the standard locations (GNUInstallDirs).
set(TTB_INSTALL_PLUGINDIR ${CMAKE_INSTALL_LIBDIR}/ttbridge/plugins)

install(DIRECTORY sdk/include/ttbridge DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY config/ DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/ttbridge
        PATTERN "*.token" EXCLUDE)
install(FILES scripts/ttbridged.service DESTINATION lib/systemd/system)
install(DIRECTORY ${TTB_PLUGIN_OUTPUT_DIRECTORY}/ DESTINATION ${TTB_INSTALL_PLUGINDIR}
        OPTIONAL FILES_MATCHING PATTERN "*.so")
