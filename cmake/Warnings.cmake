# One place for compiler flags shared by every AMIS target.
add_library(amis_flags INTERFACE)
target_compile_options(amis_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                            -Wold-style-cast -Wcast-align)
if(AMIS_WERROR)
  target_compile_options(amis_flags INTERFACE -Werror)
endif()
if(AMIS_SANITIZE)
  target_compile_options(amis_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                              -fno-sanitize-recover=undefined)
  target_link_options(amis_flags INTERFACE -fsanitize=address,undefined)
endif()
