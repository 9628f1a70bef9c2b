#!/usr/bin/perl
# sisimai.pl - decode throughput of Sisimai (Debian's libsisimai-perl), the
# baseline bench/run compares smtpdoc against.
#
# Usage: perl bench/sisimai.pl [-r ROUNDS] FILE...
#
# Reads every FILE into memory once, decodes them all once to warm up, then
# ROUNDS more times, each message the way Sisimai->make does it for one
# message (Sisimai::Message->new, then Sisimai::Data->make, delivered
# results included as smtpdoc includes them), and prints one line of
# key=value figures in the format of bench_decode:
#
#   messages=N bytes=B rounds=R seconds=S cpu_seconds=C msgs_per_s=X mb_per_s=Y results=K
use strict;
use warnings;
use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC CLOCK_PROCESS_CPUTIME_ID);
use Sisimai;
use Sisimai::Message;
use Sisimai::Data;

my $rounds = 1;
if (@ARGV >= 2 && $ARGV[0] eq '-r') {
    $rounds = $ARGV[1];
    splice @ARGV, 0, 2;
}
die "usage: sisimai.pl [-r ROUNDS] FILE...\n" unless @ARGV && $rounds =~ /^[1-9][0-9]*$/;

my @msgs;
my $bytes = 0;
for my $path (@ARGV) {
    open my $fh, '<:raw', $path or die "sisimai.pl: $path: $!\n";
    local $/;
    my $data = <$fh>;
    close $fh;
    # Sisimai::Mail would drop a leading mbox "From " line the same way
    push @msgs, $data;
    $bytes += length $data;
}

sub round {
    my $results = 0;
    for my $data (@msgs) {
        my $mesg = Sisimai::Message->new('data' => $data) or next;
        my $list = Sisimai::Data->make('data' => $mesg, 'delivered' => 1, 'origin' => 'bench');
        $results += scalar @$list if $list;
    }
    return $results;
}

round();    # warm-up: loads the MTA modules
my ($t0, $c0) = (clock_gettime(CLOCK_MONOTONIC), clock_gettime(CLOCK_PROCESS_CPUTIME_ID));
my $results = 0;
$results = round() for 1 .. $rounds;
my ($t1, $c1) = (clock_gettime(CLOCK_MONOTONIC), clock_gettime(CLOCK_PROCESS_CPUTIME_ID));
my $secs = $t1 - $t0 > 1e-9 ? $t1 - $t0 : 1e-9;
printf "messages=%d bytes=%d rounds=%d seconds=%.6f cpu_seconds=%.6f msgs_per_s=%.1f mb_per_s=%.3f results=%d\n",
    scalar @msgs, $bytes, $rounds, $secs, $c1 - $c0, @msgs * $rounds / $secs,
    $bytes * $rounds / $secs / 1e6, $results;
