DEPS += socat
