# gen_address_lists.cmake - turn the address lists in data/ into C tables.
#
#   cmake -DSRC_DIR=<source tree> -DOUT=<file.c> -P gen_address_lists.cmake
#
# Each list has one entry per line; '#' starts a comment, blank lines are
# skipped. An entry is lower-case letters, digits and . _ + -; a provider
# line may add the marks "typo" and "one-tld". Anything else stops the
# build with the file and line. The C file is written only when its text
# changes, so an unchanged list does not rebuild the library.

# sd_read_list(FILE MARKS_ALLOWED OUT_ENTRIES OUT_MARKS): the entries of
# FILE in order, and for each a string of its marks ("" when none).
function(sd_read_list file marks_allowed out_entries out_marks)
  file(READ "${file}" text)
  # characters that would upset CMake's lists; none is valid in an entry,
  # so a stand-in that the entry check rejects is enough
  string(REGEX REPLACE "[][;\\]" "?" text "${text}")
  string(REPLACE "\r" "" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(entries "")
  set(marks "")
  set(lineno 0)
  foreach(line IN LISTS lines)
    math(EXPR lineno "${lineno} + 1")
    string(REGEX REPLACE "#.*$" "" line "${line}")
    string(STRIP "${line}" line)
    if(line STREQUAL "")
      continue()
    endif()
    string(REGEX REPLACE "[ \t]+" ";" words "${line}")
    list(POP_FRONT words entry)
    if(NOT entry MATCHES "^[a-z0-9][a-z0-9._+-]*$")
      message(FATAL_ERROR "${file}:${lineno}: '${entry}' is not a lower-case name or domain")
    endif()
    set(flags "")
    foreach(word IN LISTS words)
      if(NOT marks_allowed OR NOT word MATCHES "^(typo|one-tld)$")
        message(FATAL_ERROR "${file}:${lineno}: unknown mark '${word}'")
      endif()
      if(word STREQUAL "typo")
        list(APPEND flags SD_PROVIDER_TYPO)
      else()
        list(APPEND flags SD_PROVIDER_ONE_TLD)
      endif()
    endforeach()
    if(flags STREQUAL "")
      set(flags 0)
    endif()
    list(JOIN flags " | " flags)
    list(APPEND entries "${entry}")
    list(APPEND marks "${flags}")
  endforeach()
  list(LENGTH entries n)
  if(n EQUAL 0)
    message(FATAL_ERROR "${file}: the list is empty")
  endif()
  set(${out_entries} "${entries}" PARENT_SCOPE)
  set(${out_marks} "${marks}" PARENT_SCOPE)
endfunction()

# sd_string_table(NAME FILE): a const char * table and its length.
function(sd_string_table name file)
  sd_read_list("${SRC_DIR}/data/${file}" OFF entries marks)
  list(LENGTH entries n)
  string(APPEND c "\n/* data/${file} */\nconst char *const ${name}[] = {\n")
  foreach(e IN LISTS entries)
    string(APPEND c "\t\"${e}\",\n")
  endforeach()
  string(APPEND c "};\nconst size_t ${name}_count = ${n};\n")
  set(out "${out}${c}" PARENT_SCOPE)
endfunction()

set(out "/* Generated from the lists in data/ by cmake/gen_address_lists.cmake; do not edit. */\n")
string(APPEND out "#include <stddef.h>\n\n#include \"address.h\"\n")

sd_read_list("${SRC_DIR}/data/mail-providers.txt" ON entries marks)
list(LENGTH entries n)
string(APPEND out "\n/* data/mail-providers.txt */\nconst sd_provider_row sd_mail_providers[] = {\n")
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  list(GET entries ${i} e)
  list(GET marks ${i} m)
  string(APPEND out "\t{\"${e}\", ${m}},\n")
endforeach()
string(APPEND out "};\nconst size_t sd_mail_providers_count = ${n};\n")

sd_string_table(sd_typo_lookalikes typo-lookalikes.txt)
sd_string_table(sd_role_accounts role-accounts.txt)
sd_string_table(sd_disposable_domains disposable-domains.txt)

set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL out)
  file(WRITE "${OUT}" "${out}")
endif()
