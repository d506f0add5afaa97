# Writes OUT: a C file defining NAME[] (the bytes of IN, then a NUL)
# and NAME_len (without the NUL). Run with cmake -P.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* Generated from ${IN} by cmake/embed.cmake. */\n"
  "#include <stddef.h>\n"
  "extern const unsigned char ${NAME}[];\n"
  "extern const size_t ${NAME}_len;\n"
  "const unsigned char ${NAME}[] = {${bytes} 0};\n"
  "const size_t ${NAME}_len = sizeof(${NAME}) - 1;\n")
