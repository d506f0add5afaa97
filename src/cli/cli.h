/* Subcommands of the bgpsentry binary. Each returns the process exit
 * status: 0 success, 1 the input was bad (a malformed message...), 2 usage
 * or environment error. */
#ifndef BGPS_CLI_H
#define BGPS_CLI_H

#define EXIT_BAD_INPUT	1
#define EXIT_USAGE	2

int	cmd_bmp(int argc, char **argv);
int	cmd_client(int argc, char **argv);
int	cmd_config(int argc, char **argv);
int	cmd_decode(int argc, char **argv);
int	cmd_run(int argc, char **argv);
int	cmd_mrt(int argc, char **argv);
int	cmd_replay(int argc, char **argv);
int	cmd_rib(int argc, char **argv);
int	cmd_stats(int argc, char **argv);

#endif
