# address_lists.cmake - compile the address lists in data/ into libsmtpdoc.
# cmake/gen_address_lists.cmake writes them as C tables (address_lists.c in
# the build tree) whenever a list changes; the tables are declared in
# src/address.h.
set(SD_ADDRESS_LISTS
    ${PROJECT_SOURCE_DIR}/data/mail-providers.txt
    ${PROJECT_SOURCE_DIR}/data/typo-lookalikes.txt
    ${PROJECT_SOURCE_DIR}/data/role-accounts.txt
    ${PROJECT_SOURCE_DIR}/data/disposable-domains.txt)
add_custom_command(
  OUTPUT ${PROJECT_BINARY_DIR}/address_lists.c
  COMMAND ${CMAKE_COMMAND} -DSRC_DIR=${PROJECT_SOURCE_DIR}
          -DOUT=${PROJECT_BINARY_DIR}/address_lists.c
          -P ${PROJECT_SOURCE_DIR}/cmake/gen_address_lists.cmake
  DEPENDS ${SD_ADDRESS_LISTS} ${PROJECT_SOURCE_DIR}/cmake/gen_address_lists.cmake
  COMMENT "Compiling the address lists in data/ into C tables"
  VERBATIM)
target_sources(smtpdoc_obj PRIVATE ${PROJECT_BINARY_DIR}/address_lists.c)
